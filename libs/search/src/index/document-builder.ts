import { availableParallelism } from 'node:os';
import { NotFoundError } from '@nexus/core';
import type { BlobStore } from '@nexus/filesystem';
import type { IndexedContentKind } from '../entities/search-document.entity';
import { ThreadPool } from '../util/thread-pool';
import type { AnalysisResult, AnalysisTask } from './analysis-worker';
import { analyzeContent } from './content-analysis';
import type { ContentAnalysis } from './content-analysis';
import type { LiveFile } from './live-files';

/** A row of search_documents, ready to write, and its content's analysis (null: indexed by name only). */
export interface IndexedDocument extends LiveFile {
  contentKind: IndexedContentKind;
  analysis: ContentAnalysis | null;
}

/**
 * Content is analysed on worker threads (it is most of indexing's CPU time),
 * leaving the relay's event loop to read rows and write postings meanwhile;
 * one core is left to that loop and PostgreSQL.
 */
const analysisPool = new ThreadPool<AnalysisTask, AnalysisResult>(
  'analysis-worker',
  __dirname,
  Math.max(1, Math.min(4, availableParallelism() - 1)),
);

/** The content's analysis on this thread; null when the blob is gone. */
async function analyzeInline(file: LiveFile, blobs: BlobStore): Promise<AnalysisResult | null> {
  let content: Buffer;
  try {
    content = await blobs.read(file.contentHash);
  } catch (error) {
    if (error instanceof NotFoundError) return null;
    throw error;
  }
  return analyzeContent(content) ?? { binary: true };
}

/**
 * The file's index row: content analysed unless the file is over `maxBytes`
 * (on a thread that reads the blob file itself when the store keeps one on
 * disk). Null when its blob is gone: the file was overwritten (or deleted)
 * and its old content collected since this version was read — the later
 * change's own event indexes what the file is now.
 */
export async function buildDocument(
  file: LiveFile,
  blobs: BlobStore,
  maxBytes: number,
): Promise<IndexedDocument | null> {
  if (file.size > maxBytes) return { ...file, contentKind: 'large', analysis: null };
  const inline = () => analyzeInline(file, blobs);
  const local = blobs.localPath?.(file.contentHash);
  const result = local ? await analysisPool.run({ file: local }, inline) : await inline();
  if (result === null) return null;
  if ('binary' in result) return { ...file, contentKind: 'binary', analysis: null };
  return { ...file, contentKind: 'text', analysis: result };
}
