import { preconditionFailed } from '../filesystem.errors';
import type { WritePreconditions } from '../fs.types';

/** A version's etag: changes with every version, and with the content. */
export function etagFor(version: number, contentHash: string): string {
  return `${version}-${contentHash.slice(0, 16)}`;
}

/** An HTTP entity tag as stored: quotes and a weak prefix removed. */
export function bareEtag(value: string): string {
  return value
    .trim()
    .replace(/^W\//, '')
    .replace(/^"(.*)"$/, '$1');
}

/** Throws 412 unless the current etag (null: the file does not exist) satisfies the preconditions. */
export function checkPreconditions(
  path: string,
  current: string | null,
  preconditions: WritePreconditions = {},
): void {
  const { ifMatch, ifNoneMatch } = preconditions;
  if (ifMatch !== undefined) {
    const wanted = ifMatch.split(',').map(bareEtag);
    const ok = current !== null && (wanted.includes('*') || wanted.includes(current));
    if (!ok) throw preconditionFailed(path, 'If-Match', current);
  }
  if (ifNoneMatch !== undefined) {
    const unwanted = ifNoneMatch.split(',').map(bareEtag);
    const bad = current !== null && (unwanted.includes('*') || unwanted.includes(current));
    if (bad) throw preconditionFailed(path, 'If-None-Match', current);
  }
}
