import { buffer } from 'node:stream/consumers';
import { PayloadTooLargeError } from '@nexus/core';
import type { BlobStore } from '../blob/blob-store';
import { notText } from '../filesystem.errors';

export const MiB = 1024 * 1024;

// fatal: invalid UTF-8 throws instead of turning into U+FFFD; ignoreBOM: a BOM survives an edit.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The bytes as text; 409 NOT_TEXT when they are not valid UTF-8. */
export function decodeUtf8(path: string, bytes: Uint8Array): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    throw notText(path);
  }
}

/** A stored version's whole content as text: 413 above `maxBytes` (checked before reading), 409 NOT_TEXT if not UTF-8. */
export async function readText(
  blobs: BlobStore,
  path: string,
  content: { contentHash: string | null; size: number; version: number },
  maxBytes: number,
): Promise<string> {
  if (content.size > maxBytes)
    throw new PayloadTooLargeError(`${path}@v${content.version} is larger than ${maxBytes} bytes`, {
      path,
      version: content.version,
      size: content.size,
      maxBytes,
    });
  if (content.contentHash === null) return '';
  return decodeUtf8(path, await buffer(await blobs.get(content.contentHash)));
}

/** In-memory bytes as the stream BlobStore.put takes. */
export async function* bytesSource(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  yield bytes;
}
