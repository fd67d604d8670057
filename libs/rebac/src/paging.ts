import type { Page } from '@nexus/core';
import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT, ValidationError, decodeCursor, encodeCursor } from '@nexus/core';

interface AfterPosition extends Record<string, unknown> {
  after: string;
}

function isAfterPosition(value: unknown): value is AfterPosition {
  return (
    typeof value === 'object' && value !== null && typeof (value as { after?: unknown }).after === 'string'
  );
}

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

/**
 * Pages a complete, sorted list of unique keys: the cursor holds the last key
 * returned, so pages stay correct when the list changes between requests.
 */
export function pageSorted<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  limit: number | undefined,
  cursor: string | undefined,
): Page<T> {
  const size = pageLimit(limit);
  let start = 0;
  if (cursor !== undefined) {
    const after = decodeCursor(cursor, isAfterPosition).after;
    let low = 0;
    let high = items.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (keyOf(items[middle] as T) <= after) low = middle + 1;
      else high = middle;
    }
    start = low;
  }
  const pageItems = items.slice(start, start + size);
  const last = pageItems[pageItems.length - 1];
  const more = start + size < items.length;
  return {
    items: pageItems,
    nextCursor: more && last !== undefined ? encodeCursor({ after: keyOf(last) }) : null,
    total: items.length,
  };
}
