import { invalidRange } from '../filesystem.errors';
import type { ByteRange } from './blob-store';

/** Resolves a requested range against a blob's size to inclusive offsets; throws ValidationError(INVALID_RANGE) when unsatisfiable. */
export function resolveRange(range: ByteRange, size: number): { start: number; end: number } {
  const { start } = range;
  const end = Math.min(range.end ?? size - 1, size - 1);
  const valid =
    Number.isSafeInteger(start) &&
    start >= 0 &&
    start < size &&
    (range.end === undefined || (Number.isSafeInteger(range.end) && range.end >= start));
  if (!valid) {
    throw invalidRange(range, size);
  }
  return { start, end };
}
