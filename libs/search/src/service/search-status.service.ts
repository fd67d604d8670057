import { Injectable } from '@nestjs/common';
import type { Principal } from '@nexus/core';
import { JobSubmitter } from '@nexus/jobs';
import { DataSource } from 'typeorm';
import { SEARCH_REINDEX_JOB } from '../jobs/search-job-types';
import { IndexFreshness } from './index-freshness';
import type { IndexLag } from './index-freshness';
import { submitUnlessPending } from '../jobs/submit-unless-pending';

export interface SearchStatus {
  files: number;
  bytes: number;
  textFiles: number;
  binaryFiles: number;
  largeFiles: number;
  indexBytes: number;
  lag: IndexLag;
}

/** What the zone's index holds and how far behind it is; reindex submission. */
@Injectable()
export class SearchStatusService {
  constructor(
    private readonly db: DataSource,
    private readonly freshness: IndexFreshness,
    private readonly jobs: JobSubmitter,
  ) {}

  async status(zoneId: string): Promise<SearchStatus> {
    const [[counts], [size], lag] = await Promise.all([
      this.db.query<Array<Omit<SearchStatus, 'lag' | 'indexBytes'>>>(
        `SELECT count(*)::int AS files, COALESCE(sum(size), 0)::float8 AS bytes,
                (count(*) FILTER (WHERE content_kind = 'text'))::int AS "textFiles",
                (count(*) FILTER (WHERE content_kind = 'binary'))::int AS "binaryFiles",
                (count(*) FILTER (WHERE content_kind = 'large'))::int AS "largeFiles"
           FROM search_documents WHERE zone_id = $1`,
        [zoneId],
      ),
      this.db.query<Array<{ indexBytes: number }>>(
        `SELECT (pg_total_relation_size('search_documents') + pg_total_relation_size('search_postings')
                 + pg_total_relation_size('search_embeddings'))::float8 AS "indexBytes"`,
      ),
      this.freshness.lag(zoneId),
    ]);
    return { ...counts!, indexBytes: size!.indexBytes, lag };
  }

  /** Submits `search.reindex` for the zone unless one is queued or running already. */
  async reindex(
    principal: Principal,
    options: { full?: boolean } = {},
  ): Promise<{ jobId: string; created: boolean }> {
    return submitUnlessPending(this.db, this.jobs, {
      zoneId: principal.zoneId,
      createdBy: `${principal.subjectType}:${principal.subjectId}`,
      type: SEARCH_REINDEX_JOB.type,
      payload: { full: options.full === true },
    });
  }
}
