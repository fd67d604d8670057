import { Injectable } from '@nestjs/common';
import { WorkerConfig } from '@nexus/core';
import { DataSource } from 'typeorm';
import type { JobContext, JobHandlerContract, JobOutcome } from '../registry/job-handler';
import { JobHandler } from '../registry/job-handler';
import { JobClock } from '../state/clock';
import { returnedRows } from '../state/job-rows';
import { PRUNE_JOBS_JOB } from './system-job-types';
import type { PruneJobsPayload } from './system-job-types';

/** Rows one DELETE removes: short statements, so pruning never holds many locks for long. */
export const PRUNE_BATCH = 1_000;
const DAY_MS = 86_400_000;

/**
 * Deletes finished jobs (succeeded, failed, cancelled) whose finished_at is older
 * than the retention, with their artifacts (the foreign key cascades), a batch
 * per statement, stopping between batches when aborted. Unfinished jobs are
 * never touched. Idempotent: a re-run deletes what is left.
 */
@Injectable()
@JobHandler(PRUNE_JOBS_JOB)
export class PruneJobsHandler implements JobHandlerContract<PruneJobsPayload> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: WorkerConfig,
    private readonly clock: JobClock,
  ) {}

  async handle(payload: PruneJobsPayload, context: JobContext): Promise<JobOutcome> {
    const days = payload.olderThanDays ?? this.config.NEXUS_JOB_RETENTION_DAYS;
    if (days <= 0) return { status: 'succeeded', result: { deleted: 0, retentionDays: 0 } };
    const cutoff = new Date(this.clock.now().getTime() - days * DAY_MS);
    let deleted = 0;
    for (;;) {
      if (context.signal.aborted)
        return { status: 'failed', error: `aborted after deleting ${deleted} job(s)` };
      const rows = returnedRows(
        await this.dataSource.query(
          `DELETE FROM jobs WHERE id IN (
           SELECT id FROM jobs WHERE status IN ('succeeded', 'failed', 'cancelled') AND finished_at < $1
           LIMIT $2 FOR UPDATE SKIP LOCKED)
         RETURNING id`,
          [cutoff, PRUNE_BATCH],
        ),
      );
      deleted += rows.length;
      if (rows.length < PRUNE_BATCH) break;
    }
    return { status: 'succeeded', result: { deleted, retentionDays: days, cutoff: cutoff.toISOString() } };
  }
}
