import { ValidationError } from '../errors/domain-error';
import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT } from './pagination.dto';

/** A list's page size: the default when absent, 400 outside 1…MAX_PAGE_LIMIT (services called without the DTO check it too). */
export function pageLimit(limit: number | undefined): number {
  const value = limit ?? DEFAULT_PAGE_LIMIT;
  if (!Number.isInteger(value) || value < 1 || value > MAX_PAGE_LIMIT) {
    throw new ValidationError(
      `limit must be an integer from 1 to ${MAX_PAGE_LIMIT}`,
      { limit },
      'VALIDATION_FAILED',
    );
  }
  return value;
}
