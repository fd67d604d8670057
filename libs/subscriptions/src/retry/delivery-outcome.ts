import { parseRetryAfter } from './retry-after';

/** Response headers as node's http (IncomingHttpHeaders) or fetch (Headers) gives them. */
export type ResponseHeaders =
  { get(name: string): string | null } | Record<string, string | string[] | undefined>;

/** What one HTTP attempt produced, as the delivery code observed it. */
export type DeliveryAttemptResult =
  | { kind: 'response'; status: number; headers?: ResponseHeaders }
  | { kind: 'timeout' }
  | { kind: 'network_error'; message?: string }
  /** The address policy refused the destination at connect time (a failed attempt: DNS may change back). */
  | { kind: 'refused'; message: string };

export type DeliveryOutcome =
  | { kind: 'success' }
  /** Failed attempt; try again per the schedule (retryAfterMs: the receiver's Retry-After, see applyRetryAfter). */
  | { kind: 'retry'; retryAfterMs?: number; reason: string }
  /** The receiver asked (`webhook-delivery: abort`) to stop retrying this message. */
  | { kind: 'give_up'; reason: string }
  /** The endpoint is gone for good (410): disable the subscription now. */
  | { kind: 'disable'; reason: string };

/**
 * Classifies one attempt. Only 2xx succeeds; redirects are failures (we never
 * follow them: the target was not what the owner registered and could point
 * inside our network). Precedence: 2xx, then 410, then the abort header, then
 * 429/503's Retry-After; everything else is a retry. Reasons never include
 * response bodies or header values beyond the status line.
 */
export function classifyDeliveryAttempt(
  result: DeliveryAttemptResult,
  now: Date = new Date(),
): DeliveryOutcome {
  if (result.kind === 'timeout') return { kind: 'retry', reason: 'timed out' };
  if (result.kind === 'refused') return { kind: 'retry', reason: `refused: ${result.message}` };
  if (result.kind === 'network_error') {
    return { kind: 'retry', reason: result.message ? `network error: ${result.message}` : 'network error' };
  }
  const { status } = result;
  const header = (name: string) => readHeader(result.headers, name);
  if (status >= 200 && status < 300) return { kind: 'success' };
  if (status === 410) return { kind: 'disable', reason: 'HTTP 410 Gone' };
  if (header('webhook-delivery')?.trim().toLowerCase() === 'abort') {
    return { kind: 'give_up', reason: `HTTP ${status} with webhook-delivery: abort` };
  }
  if (status >= 300 && status < 400)
    return { kind: 'retry', reason: `HTTP ${status} redirect (not followed)` };
  if (status === 429 || status === 503) {
    const retryAfterMs = parseRetryAfter(header('retry-after'), now);
    const reason = `HTTP ${status}`;
    return retryAfterMs === undefined ? { kind: 'retry', reason } : { kind: 'retry', retryAfterMs, reason };
  }
  return {
    kind: 'retry',
    reason: status >= 100 && status < 600 ? `HTTP ${status}` : `invalid HTTP status ${status}`,
  };
}

/** A header's value, case-insensitively; repeated headers are joined as HTTP would. */
function readHeader(headers: ResponseHeaders | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  if (isHeadersObject(headers)) return headers.get(name) ?? undefined;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return Array.isArray(value) ? value.join(', ') : value;
  }
  return undefined;
}

// A plain record could carry a header literally named "get"; only a function means fetch's Headers.
function isHeadersObject(headers: ResponseHeaders): headers is { get(name: string): string | null } {
  return typeof headers.get === 'function';
}
