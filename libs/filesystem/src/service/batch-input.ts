import { PayloadTooLargeError, ValidationError } from '@nexus/core';
import { duplicatePath, invalidBase64, isADirectory } from '../filesystem.errors';
import { ROOT_PATH, normalizePath } from '../path/zone-path';

export interface BatchWrite {
  path: string;
  content: string;
  encoding?: 'utf8' | 'base64';
}

export const MAX_BATCH_WRITES = 1000;

/** One validated batch entry: its canonical path, decoded bytes and If-Match etag. */
export interface BatchEntry {
  path: string;
  bytes: Buffer;
  ifMatch?: string;
}

/** Strict base64: only what re-encodes to the same text (padding included) is accepted. */
function decodeBase64(content: string, index: number): Buffer {
  const bytes = Buffer.from(content, 'base64');
  if (bytes.toString('base64') !== content) throw invalidBase64(index);
  return bytes;
}

function decodeEntry(write: BatchWrite, index: number): { path: string; bytes: Buffer } {
  if (typeof write?.content !== 'string')
    throw new ValidationError(`write ${index}: content must be a string`, { index });
  const encoding = write.encoding ?? 'utf8';
  if (encoding !== 'utf8' && encoding !== 'base64')
    throw new ValidationError(`write ${index}: encoding must be utf8 or base64`, { index });
  const path = normalizePath(write.path);
  if (path === ROOT_PATH) throw isADirectory(path);
  const bytes =
    encoding === 'base64' ? decodeBase64(write.content, index) : Buffer.from(write.content, 'utf8');
  return { path, bytes };
}

/**
 * Validates and decodes a whole batch before anything is stored: 400 for a bad
 * count, path, encoding, duplicate path or an ifMatch for a path not in the
 * batch; 413 when the decoded total exceeds `maxTotalBytes`.
 */
export function parseBatch(
  writes: readonly BatchWrite[],
  ifMatch: Record<string, string>,
  maxTotalBytes: number,
): BatchEntry[] {
  // The input comes from request bodies: check the shape as well as the sizes.
  const shape: unknown = writes;
  if (!Array.isArray(shape) || writes.length < 1 || writes.length > MAX_BATCH_WRITES)
    throw new ValidationError(`writes must list 1 to ${MAX_BATCH_WRITES} files`);
  const entries = new Map<string, BatchEntry>();
  let total = 0;
  writes.forEach((write, index) => {
    const entry = decodeEntry(write, index);
    if (entries.has(entry.path)) throw duplicatePath(index, entry.path);
    total += entry.bytes.length;
    entries.set(entry.path, entry);
  });
  if (total > maxTotalBytes)
    throw new PayloadTooLargeError(`The batch exceeds the maximum of ${maxTotalBytes} bytes`, {
      maxBytes: maxTotalBytes,
    });
  for (const [rawPath, etag] of Object.entries(ifMatch)) {
    const entry = entries.get(normalizePath(rawPath));
    if (!entry)
      throw new ValidationError(`ifMatch names ${rawPath}, which the batch does not write`, {
        path: rawPath,
      });
    if (typeof etag !== 'string')
      throw new ValidationError(`ifMatch of ${rawPath} must be an etag string`, { path: rawPath });
    entry.ifMatch = etag;
  }
  return [...entries.values()];
}
