import type { JobsOptions } from 'bullmq';

/** What a BullMQ job carries: only the row id; Postgres holds everything else. */
export interface JobDelivery {
  jobId: string;
  /** How often a worker without this job in its database has handed the delivery back (see JobWorkerHost). */
  foreignReturns?: number;
}

export interface DeliverableRow {
  id: string;
  status: string;
  attemptCount: number;
  nextRunAt: Date;
}

/**
 * BullMQ job id of a row's current delivery: the row id for the first one, then one
 * per scheduled run. Re-publishing the same state de-duplicates while the earlier
 * BullMQ job still exists; the CAS lease in Postgres guards every other case.
 */
export function deliveryIdOf(row: DeliverableRow): string {
  return row.status === 'queued' && row.attemptCount === 0 ? row.id : `${row.id}-${row.nextRunAt.getTime()}`;
}

/** The one place BullMQ job options are set. BullMQ never retries: our state machine does. */
export function jobOptionsFor(row: DeliverableRow, now: Date): JobsOptions {
  return {
    jobId: deliveryIdOf(row),
    delay: Math.max(0, row.nextRunAt.getTime() - now.getTime()),
    attempts: 1,
    removeOnComplete: true,
    removeOnFail: true,
  };
}
