import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { JobDispatcher } from '../queue/job-dispatcher';
import { JobClock } from '../state/clock';
import { hydrateJob } from '../state/job-rows';

/** Committed rows older than this without a delivery are published by the sweeper. */
export const OUTBOX_GRACE_MS = 2_000;
/** Due rows still waiting this long after next_run_at are re-published (their delivery may be lost). */
export const REDELIVER_AFTER_MS = 30_000;

/**
 * The outbox: publishes queued / retry_wait rows whose delivery never reached
 * Redis, and re-publishes due rows whose delivery seems lost (a Redis flush or
 * restart). Re-publishing is safe: BullMQ de-duplicates by delivery id while the
 * earlier job exists, and the CAS lease guards every run.
 */
@Injectable()
export class OutboxSweeper {
  constructor(
    private readonly dataSource: DataSource,
    private readonly dispatcher: JobDispatcher,
    private readonly clock: JobClock,
  ) {}

  async sweep(limit = 500, graceMs = OUTBOX_GRACE_MS): Promise<number> {
    const now = this.clock.now();
    const rows = await this.dataSource.query<Array<Record<string, unknown>>>(
      `SELECT * FROM jobs WHERE status IN ('queued', 'retry_wait')
         AND ((dispatched_at IS NULL AND updated_at < now() - make_interval(secs => $1::double precision / 1000))
           OR next_run_at < $2::timestamptz - make_interval(secs => $3::double precision / 1000))
       ORDER BY next_run_at LIMIT $4`,
      [graceMs, now, REDELIVER_AFTER_MS, limit],
    );
    let published = 0;
    for (const raw of rows) {
      if (await this.dispatcher.dispatch(hydrateJob(this.dataSource, raw))) published += 1;
    }
    return published;
  }
}
