import { Inject, Injectable, Logger } from '@nestjs/common';
import { BLOB_STORE } from '@nexus/filesystem';
import type { BlobStore } from '@nexus/filesystem';
import { JobHandler } from '@nexus/jobs';
import type { JobContext, JobHandlerContract, JobOutcome } from '@nexus/jobs';
import { DataSource } from 'typeorm';
import { EmbeddingWriter } from '../hybrid/embedding-writer';
import { SearchIndexWriter } from '../index/index-writer';
import { countLiveFiles, liveFilesPage } from '../index/live-files';
import { compactPostings } from '../index/postings-writer';
import { SEARCH_MAX_BYTES } from '../search.tokens';
import { SEARCH_REINDEX_JOB } from './search-job-types';
import type { SearchReindexPayload } from './search-job-types';

/** Files per transaction of a reindex. */
const PAGE = 200;

/**
 * `search.reindex`: walks the zone's live files in path order, a page per
 * transaction, rebuilding every row whose content changed (and refreshing the
 * rest), then drops rows of files that no longer exist and compacts the
 * full-text postings (dropping entries of replaced content); with an embedding
 * provider configured it also fills in missing or stale embeddings. Idempotent: a retry
 * after a crash converges on the same index; the event consumer keeps running
 * meanwhile (both write what the files are now).
 */
@Injectable()
@JobHandler(SEARCH_REINDEX_JOB)
export class SearchReindexHandler implements JobHandlerContract<SearchReindexPayload> {
  private readonly logger = new Logger('SearchReindex');
  private readonly writer: SearchIndexWriter;

  constructor(
    private readonly db: DataSource,
    @Inject(BLOB_STORE) blobs: BlobStore,
    @Inject(SEARCH_MAX_BYTES) maxBytes: number,
    private readonly embeddings: EmbeddingWriter,
  ) {
    this.writer = new SearchIndexWriter(blobs, maxBytes);
  }

  async handle(payload: SearchReindexPayload, context: JobContext): Promise<JobOutcome> {
    const { zoneId } = context;
    const total = await countLiveFiles(this.db.manager, zoneId);
    let done = 0;
    let rebuilt = 0;
    let after = '';
    for (;;) {
      context.signal.throwIfAborted();
      const page = await this.db.transaction(async (manager) => {
        const files = await liveFilesPage(manager, zoneId, after, PAGE);
        rebuilt += await this.writer.indexFiles(manager, zoneId, files, { full: payload.full === true });
        return files;
      });
      if (page.length === 0) break;
      done += page.length;
      after = page[page.length - 1]!.path;
      await context.progress({ done, total, message: `indexed ${done} of ${total} files` });
    }
    const removed = await this.writer.removeOrphans(this.db.manager, zoneId);
    const postings = await this.db.transaction((manager) => compactPostings(manager, zoneId));
    const embeddings = await this.embeddings.fillZone(this.db, zoneId, context.signal);
    this.logger.log(
      `zone ${zoneId}: ${done} files checked, ${rebuilt} rebuilt, ${removed} stale rows removed, ` +
        `postings compacted from ${postings.before} to ${postings.after} rows` +
        (embeddings ? `, ${embeddings.embedded} files embedded` : ''),
    );
    return {
      status: 'succeeded',
      result: {
        files: done,
        rebuilt,
        removed,
        postingRows: postings.after,
        ...(embeddings && { embedded: embeddings.embedded }),
      },
    };
  }
}
