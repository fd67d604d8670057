import { NotFoundError } from '@nexus/core';
import type { BlobStore } from '@nexus/filesystem';
import { contentTrigrams } from '../grep/byte-trigrams';
import type { IndexedContentKind } from '../entities/search-document.entity';
import type { LiveFile } from './live-files';

/** A row of search_documents, ready to write. */
export interface IndexedDocument extends LiveFile {
  contentKind: IndexedContentKind;
  trigrams: Int32Array | null;
}

/** Binary like ripgrep decides it: the content holds a NUL byte. */
export function isBinaryContent(content: Buffer): boolean {
  return content.includes(0);
}

/**
 * The file's index row: content read from the blob store unless the file is
 * over `maxBytes`. Null when its blob is gone: the file was overwritten (or
 * deleted) and its old content collected since this version was read — the
 * later change's own event indexes what the file is now.
 */
export async function buildDocument(
  file: LiveFile,
  blobs: BlobStore,
  maxBytes: number,
): Promise<IndexedDocument | null> {
  if (file.size > maxBytes) return { ...file, contentKind: 'large', trigrams: null };
  let content: Buffer;
  try {
    content = await blobs.read(file.contentHash);
  } catch (error) {
    if (error instanceof NotFoundError) return null;
    throw error;
  }
  if (isBinaryContent(content)) return { ...file, contentKind: 'binary', trigrams: null };
  return { ...file, contentKind: 'text', trigrams: contentTrigrams(content) };
}
