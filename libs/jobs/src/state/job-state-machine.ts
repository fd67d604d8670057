import { Injectable } from '@nestjs/common';
import { IllegalTransitionError, NotFoundError } from '@nexus/core';
import { DataSource } from 'typeorm';
import type { EntityManager } from 'typeorm';
import type { Job } from '../entities/job.entity';
import type { JobStatus } from '../job-types';
import { JobClock } from './clock';
import { hydrateJob, returnedRows } from './job-rows';

export const LEASABLE: readonly JobStatus[] = ['queued', 'retry_wait'];
export const CANCELLABLE: readonly JobStatus[] = ['queued', 'retry_wait', 'running'];

/**
 * The job state machine (DESIGN.md §5). Every transition is one compare-and-set
 * `UPDATE jobs … WHERE id = $1 AND status IN (…)`; when no row matches, the job's
 * actual status is read and IllegalTransitionError names it. Two workers can never
 * both lease one job, and a worker whose lease was lost (recovered, cancelled) can
 * no longer complete or fail the job: its result is discarded.
 */
@Injectable()
export class JobStateMachine {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: JobClock,
  ) {}

  /** queued | retry_wait → running, when due. Null when the job is leasable but not due yet. */
  async lease(id: string, owner: string, leaseMs: number): Promise<Job | null> {
    const now = this.clock.now();
    const rows = returnedRows(
      await this.dataSource.query(
        `UPDATE jobs SET status = 'running', lease_owner = $2, lease_expires_at = $3, attempt_count = attempt_count + 1,
           started_at = COALESCE(started_at, $4), updated_at = now()
         WHERE id = $1 AND status IN ('queued', 'retry_wait') AND next_run_at <= $4 RETURNING *`,
        [id, owner, new Date(now.getTime() + leaseMs), now],
      ),
    );
    if (rows[0]) return hydrateJob(this.dataSource, rows[0]);
    const current = await this.statusOf(id);
    if (LEASABLE.includes(current)) return null;
    throw new IllegalTransitionError('Job', id, current, 'running');
  }

  /** running → running with a later lease. False when the lease is no longer ours (cancelled, recovered). */
  async renew(id: string, owner: string, leaseMs: number): Promise<boolean> {
    const rows = returnedRows(
      await this.dataSource.query(
        `UPDATE jobs SET lease_expires_at = $3 WHERE id = $1 AND status = 'running' AND lease_owner = $2 RETURNING id`,
        [id, owner, new Date(this.clock.now().getTime() + leaseMs)],
      ),
    );
    return rows.length === 1;
  }

  /** running → succeeded. */
  async complete(id: string, owner: string, result: Record<string, unknown>): Promise<Job> {
    return this.transition(
      id,
      'succeeded',
      `UPDATE jobs SET status = 'succeeded', result = $3, finished_at = $4, lease_owner = NULL, lease_expires_at = NULL,
         last_error = NULL, updated_at = now()
       WHERE id = $1 AND status = 'running' AND lease_owner = $2 RETURNING *`,
      [id, owner, JSON.stringify(result), this.clock.now()],
    );
  }

  /**
   * running → retry_wait (next_run_at = now + backoff[attempt-1]) while attempts are left,
   * otherwise running → failed.
   */
  async fail(id: string, owner: string, error: string, backoffSeconds: readonly number[]): Promise<Job> {
    return this.transition(
      id,
      'retry_wait|failed',
      `UPDATE jobs SET
         status = CASE WHEN attempt_count >= max_attempts THEN 'failed' ELSE 'retry_wait' END,
         next_run_at = CASE WHEN attempt_count >= max_attempts THEN next_run_at
           ELSE $4::timestamptz + make_interval(secs => ($5::int[])[LEAST(GREATEST(attempt_count, 1), cardinality($5::int[]))]) END,
         finished_at = CASE WHEN attempt_count >= max_attempts THEN $4::timestamptz ELSE NULL END,
         dispatched_at = NULL, last_error = $3, lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
       WHERE id = $1 AND status = 'running' AND lease_owner = $2 RETURNING *`,
      [id, owner, error, this.clock.now(), backoffSeconds.length > 0 ? [...backoffSeconds] : [0]],
    );
  }

  /** running → retry_wait at once, giving the attempt back (a draining worker releases its lease). */
  async release(id: string, owner: string, reason: string): Promise<Job> {
    return this.transition(
      id,
      'retry_wait',
      `UPDATE jobs SET status = 'retry_wait', attempt_count = GREATEST(attempt_count - 1, 0), next_run_at = $4,
         dispatched_at = NULL, last_error = $3, lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
       WHERE id = $1 AND status = 'running' AND lease_owner = $2 RETURNING *`,
      [id, owner, reason, this.clock.now()],
    );
  }

  /** queued | retry_wait | running → cancelled, within the caller's zone when one is given. */
  async cancel(id: string, zoneId?: string): Promise<Job> {
    const now = this.clock.now();
    const rows = returnedRows(
      await this.dataSource.query(
        `UPDATE jobs SET status = 'cancelled', finished_at = $2, lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
         WHERE id = $1 AND status IN ('queued', 'retry_wait', 'running') AND ($3::uuid IS NULL OR zone_id = $3) RETURNING *`,
        [id, now, zoneId ?? null],
      ),
    );
    if (rows[0]) return hydrateJob(this.dataSource, rows[0]);
    throw new IllegalTransitionError('Job', id, await this.statusOf(id, zoneId), 'cancelled');
  }

  /** Marks the current delivery as handed to BullMQ (the outbox is then clear for this attempt). */
  async markDispatched(id: string, attemptCount: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE jobs SET dispatched_at = $3 WHERE id = $1 AND attempt_count = $2 AND status IN ('queued', 'retry_wait')`,
      [id, attemptCount, this.clock.now()],
    );
  }

  /** markDispatched() for many rows in one UPDATE. */
  async markDispatchedMany(rows: ReadonlyArray<{ id: string; attemptCount: number }>): Promise<void> {
    await this.dataSource.query(
      `UPDATE jobs j SET dispatched_at = $3 FROM unnest($1::uuid[], $2::int[]) AS d(id, attempt_count)
       WHERE j.id = d.id AND j.attempt_count = d.attempt_count AND j.status IN ('queued', 'retry_wait')`,
      [rows.map((row) => row.id), rows.map((row) => row.attemptCount), this.clock.now()],
    );
  }

  async statusOf(id: string, zoneId?: string, manager: EntityManager = this.dataSource.manager): Promise<JobStatus> {
    const rows = await manager.query<Array<{ status: JobStatus }>>(
      `SELECT status FROM jobs WHERE id = $1 AND ($2::uuid IS NULL OR zone_id = $2)`,
      [id, zoneId ?? null],
    );
    if (!rows[0]) throw new NotFoundError(`Job ${id} not found`, 'JOB_NOT_FOUND', { id });
    return rows[0].status;
  }

  private async transition(id: string, to: string, sql: string, parameters: unknown[]): Promise<Job> {
    const rows = returnedRows(await this.dataSource.query(sql, parameters));
    if (rows[0]) return hydrateJob(this.dataSource, rows[0]);
    throw new IllegalTransitionError('Job', id, await this.statusOf(id), to);
  }
}
