import type { Principal } from '@nexus/core';
import type { FsAccess } from '@nexus/filesystem';

export interface PathRow {
  id: string;
  path: string;
}

/**
 * The rows `fetchPage` yields in path order, only those the principal may read
 * (viewer), decided a page at a time before the caller cuts its page — so a
 * page is full and a denied file never counts. `fetchPage(after, n)` answers
 * up to n rows with path > after, in path order.
 */
export async function* readableInPathOrder<T extends PathRow>(
  access: FsAccess,
  principal: Principal,
  fetchPage: (after: string, limit: number) => Promise<T[]>,
  after: string,
  pageSize: number,
): AsyncGenerator<T> {
  for (;;) {
    const rows = await fetchPage(after, pageSize);
    if (rows.length === 0) return;
    const readable = await access.readable(
      principal,
      rows.map((row) => row.id),
    );
    for (const row of rows) if (readable.has(row.id)) yield row;
    if (rows.length < pageSize) return;
    after = rows[rows.length - 1]!.path;
  }
}

/** The first string after every string starting with `prefix` in "C" order, or null when there is none. */
export function prefixUpperBound(prefix: string): string | null {
  const chars = [...prefix];
  while (chars.length > 0) {
    const last = chars.pop()!.codePointAt(0)!;
    if (last < 0x10ffff) return chars.join('') + String.fromCodePoint(last === 0xd7ff ? 0xe000 : last + 1);
  }
  return null;
}
