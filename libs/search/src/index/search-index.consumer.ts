import { Inject, Injectable } from '@nestjs/common';
import { isUuid } from '@nexus/core';
import type { DeliveredEvent, EventBatch, EventConsumer } from '@nexus/core';
import { BLOB_STORE } from '@nexus/filesystem';
import type { BlobStore } from '@nexus/filesystem';
import { JobSubmitter } from '@nexus/jobs';
import { DataSource } from 'typeorm';
import type { EntityManager } from 'typeorm';
import { SEARCH_COMPACT_JOB } from '../jobs/search-job-types';
import { submitUnlessPending } from '../jobs/submit-unless-pending';
import { SEARCH_MAX_BYTES } from '../search.tokens';
import { SearchIndexWriter } from './index-writer';
import type { IndexScope } from './index-writer';
import { compactionDue } from './postings-writer';

/** The file events the index follows. */
export const INDEXED_EVENT_TYPES = [
  'file_write',
  'file_delete',
  'file_rename',
  'dir_delete',
  'metadata_change',
] as const;

/** What a batch of file events touched: the entries named, their paths, and moved or removed subtrees. */
export function scopeOf(events: readonly DeliveredEvent[]): IndexScope {
  const ids = new Set<string>();
  const paths = new Set<string>();
  const subtrees = new Set<string>();
  for (const event of events) {
    const { path, id, from, kind } = event.payload;
    if (typeof id === 'string' && isUuid(id)) ids.add(id);
    if (typeof path === 'string') paths.add(path);
    if (event.type === 'dir_delete' && typeof path === 'string') subtrees.add(path);
    if (event.type === 'file_rename' && typeof from === 'string') {
      paths.add(from);
      if (kind === 'dir' && typeof path === 'string') subtrees.add(from).add(path);
    }
  }
  return { ids: [...ids], paths: [...paths], subtrees: [...subtrees] };
}

/**
 * `search.index`: keeps search_documents in step with the files, in the
 * relay's transaction — the index rows commit exactly when the consumer's
 * position moves past the events, so a worker dying mid-batch loses nothing
 * and indexes nothing twice. When the postings are due for compaction it
 * submits `search.compact` for the zone.
 */
@Injectable()
export class SearchIndexConsumer implements EventConsumer<EntityManager> {
  private readonly writer: SearchIndexWriter;

  constructor(
    @Inject(BLOB_STORE) blobs: BlobStore,
    @Inject(SEARCH_MAX_BYTES) maxBytes: number,
    private readonly db: DataSource,
    private readonly jobs: JobSubmitter,
  ) {
    this.writer = new SearchIndexWriter(blobs, maxBytes);
  }

  async handle(batch: EventBatch<EntityManager>): Promise<void> {
    if (!batch.zoneId) return;
    await this.writer.sync(batch.transaction, batch.zoneId, scopeOf(batch.events));
    // Submitted outside the batch's transaction: if the batch rolls back, a compaction is harmless.
    const { due, segments } = await compactionDue(batch.transaction, batch.zoneId);
    if (due)
      await submitUnlessPending(this.db, this.jobs, {
        zoneId: batch.zoneId,
        type: SEARCH_COMPACT_JOB.type,
        payload: { reason: `${segments} postings segments since the last compaction` },
        createdBy: 'system:search.index',
      });
  }
}
