import { Injectable, Logger } from '@nestjs/common';
import { JobHandler } from '@nexus/jobs';
import type { JobContext, JobHandlerContract, JobOutcome } from '@nexus/jobs';
import { DataSource } from 'typeorm';
import { compactPostings } from '../index/postings-writer';
import { SEARCH_COMPACT_JOB } from './search-job-types';
import type { SearchCompactPayload } from './search-job-types';

/**
 * `search.compact`: rewrites the zone's postings into one segment without the
 * entries of replaced content (one transaction; idempotent, so a retry after
 * a crash simply compacts again).
 */
@Injectable()
@JobHandler(SEARCH_COMPACT_JOB)
export class SearchCompactHandler implements JobHandlerContract<SearchCompactPayload> {
  private readonly logger = new Logger('SearchCompact');

  constructor(private readonly db: DataSource) {}

  async handle(_payload: SearchCompactPayload, context: JobContext): Promise<JobOutcome> {
    const rows = await this.db.transaction((manager) => compactPostings(manager, context.zoneId));
    this.logger.log(`zone ${context.zoneId}: postings compacted from ${rows.before} to ${rows.after} rows`);
    return { status: 'succeeded', result: { rowsBefore: rows.before, rowsAfter: rows.after } };
  }
}
