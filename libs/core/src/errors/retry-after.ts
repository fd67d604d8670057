import { DomainError } from './domain-error';

/** The statuses whose answer may tell the client when to come back. */
const RETRYABLE_STATUSES = new Set([429, 503]);

/**
 * Whole seconds for the Retry-After header of a 429 or 503 domain error that
 * names them in `details.retryAfterSeconds` (RateLimitedError, a shed check);
 * undefined for any other error, which then answers without the header.
 */
export function retryAfterSecondsOf(error: unknown): number | undefined {
  if (!(error instanceof DomainError) || !RETRYABLE_STATUSES.has(error.status)) return undefined;
  const seconds = error.details?.['retryAfterSeconds'];
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) return undefined;
  return Math.ceil(seconds);
}
