import type { Page } from '@nexus/core';
import { decodeCursor, encodeCursor, pageLimit } from '@nexus/core';
import { compareCodePoints } from './code-point-order';

interface AfterPosition extends Record<string, unknown> {
  after: string;
}

function isAfterPosition(value: unknown): value is AfterPosition {
  return (
    typeof value === 'object' && value !== null && typeof (value as { after?: unknown }).after === 'string'
  );
}

// The rebac services import it from here with the rest of their paging.
export { pageLimit };

/**
 * Pages a complete list of unique keys sorted by code point: the cursor holds
 * the last key returned, so pages stay correct when the list changes between requests.
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
      if (compareCodePoints(keyOf(items[middle] as T), after) <= 0) low = middle + 1;
      else high = middle;
    }
    start = low;
  }
  const pageItems = items.slice(start, start + size);
  const last = pageItems[pageItems.length - 1];
  const more = start + size < items.length;
  return {
    items: pageItems,
    nextCursor: more && last !== undefined ? cursorAfter(keyOf(last)) : null,
    total: items.length,
  };
}

/** The cursor a page ending at `lastKey` hands out (the same as pageSorted's). */
export function cursorAfter(lastKey: string): string {
  return encodeCursor({ after: lastKey });
}
