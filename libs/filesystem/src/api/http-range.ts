import { DomainError } from '@nexus/core';
import type { ByteRange } from '../blob/blob-store';
import { FsErrorCode } from '../filesystem.errors';

/** 416: the Range asks for bytes the file does not have. */
export class RangeNotSatisfiableError extends DomainError {
  constructor(readonly size: number) {
    super(FsErrorCode.RangeNotSatisfiable, `Range not satisfiable for a file of ${size} bytes`, 416, {
      size,
    });
  }
}

const SINGLE_RANGE = /^bytes=(\d*)-(\d*)$/;

/**
 * The byte range a `Range` header asks of a file of `size` bytes, or null to
 * serve it whole: no header, a malformed one, or several ranges (allowed by
 * RFC 9110, simpler than multipart/byteranges). Throws 416 when unsatisfiable.
 */
export function requestedRange(header: string | undefined, size: number): ByteRange | null {
  const match = header === undefined ? null : SINGLE_RANGE.exec(header.trim());
  if (!match) return null;
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return null;
  if (first === '') {
    // Suffix range: the last n bytes.
    const length = Number(last);
    if (length === 0 || size === 0) throw new RangeNotSatisfiableError(size);
    return { start: Math.max(size - length, 0) };
  }
  const start = Number(first);
  const end = last === '' ? undefined : Number(last);
  // last < first makes the header invalid, which means: ignore it.
  if (end !== undefined && end < start) return null;
  if (start >= size) throw new RangeNotSatisfiableError(size);
  return { start, end };
}
