import { NotFoundError } from '@nexus/core';
import type { BlobStore } from '@nexus/filesystem';
import { countContentTerms } from '../fulltext/content-term-counter';
import { contentTrigrams } from '../grep/byte-trigrams';
import type { IndexedContentKind } from '../entities/search-document.entity';
import type { LiveFile } from './live-files';

/** A row of search_documents, ready to write. */
export interface IndexedDocument extends LiveFile {
  contentKind: IndexedContentKind;
  trigrams: Int32Array | null;
  /** Full-text terms (by termHash) → occurrences; empty for binary and large files. */
  terms: Map<number, number>;
  /** Tokens in the content (BM25's document length). */
  termCount: number;
}

/** The content's full-text terms by hash (terms sharing a hash add up). */
function hashedTerms(content: Buffer): { terms: Map<number, number>; termCount: number } {
  const { counts, length } = countContentTerms(content);
  return { terms: counts, termCount: length };
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
  const nameOnly = { trigrams: null, terms: new Map<number, number>(), termCount: 0 };
  if (file.size > maxBytes) return { ...file, contentKind: 'large', ...nameOnly };
  let content: Buffer;
  try {
    content = await blobs.read(file.contentHash);
  } catch (error) {
    if (error instanceof NotFoundError) return null;
    throw error;
  }
  if (isBinaryContent(content)) return { ...file, contentKind: 'binary', ...nameOnly };
  return { ...file, contentKind: 'text', trigrams: contentTrigrams(content), ...hashedTerms(content) };
}
