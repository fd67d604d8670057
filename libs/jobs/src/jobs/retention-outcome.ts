import type { Logger } from '@nestjs/common';
import type { JobOutcome } from '../registry/job-handler';
import type { BatchedDeleteResult } from './delete-in-batches';

const DAY_MS = 86_400_000;

/** What one retention run did, for its log line and its job result. */
export interface RetentionRun extends BatchedDeleteResult {
  retentionDays: number;
  cutoff: Date;
  startedAt: number;
}

/** The instant rows must be older than to go: `days` before `now`. */
export function retentionCutoff(now: Date, days: number): Date {
  return new Date(now.getTime() - days * DAY_MS);
}

/** The outcome of a run with retention off (0 days): nothing deleted, nothing looked at. */
export const RETENTION_OFF: JobOutcome = { status: 'succeeded', result: { deleted: 0, retentionDays: 0 } };

/**
 * Logs a retention run's summary (rows, batches, ms) and turns it into the
 * job's outcome: an aborted run fails (so it is retried or shows up), one that
 * finished succeeds with the same figures as its result.
 */
export function retentionOutcome(logger: Logger, what: string, run: RetentionRun): JobOutcome {
  const ms = Date.now() - run.startedAt;
  const summary = `${run.deleted} ${what} older than ${run.retentionDays} day(s) in ${run.batches} batch(es), ${ms} ms`;
  if (run.aborted) {
    logger.warn(`Aborted after deleting ${summary}`);
    return { status: 'failed', error: `aborted after deleting ${run.deleted} ${what}` };
  }
  logger.log(`Deleted ${summary}`);
  return {
    status: 'succeeded',
    result: {
      deleted: run.deleted,
      batches: run.batches,
      ms,
      retentionDays: run.retentionDays,
      cutoff: run.cutoff.toISOString(),
    },
  };
}
