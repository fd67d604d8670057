import { Injectable } from '@nestjs/common';
import { IllegalTransitionError } from '@nexus/core';
import { DataSource } from 'typeorm';
import type { EntityManager } from 'typeorm';
import type { Job } from '../entities/job.entity';
import type { JobStatus } from '../job-types';
import type { RetryAdvice } from '../registry/job-handler';
import { jobNotFound } from '../jobs.errors';
import { JobClock } from './clock';
import { completeBatch, leaseBatch } from './batched-transitions';
import type { CompleteRequest, LeaseRequest } from './batched-transitions';
import { hydrateJob, returnedRows } from './job-rows';
import { TransitionBatcher } from './transition-batcher';
import type { BatchAnswers } from './transition-batcher';

export const LEASABLE: readonly JobStatus[] = ['queued', 'retry_wait'];
export const CANCELLABLE: readonly JobStatus[] = ['queued', 'retry_wait', 'running'];

/** Most lease or completion transitions one batch statement carries. */
const MAX_TRANSITION_BATCH = 64;

/** A leased job: what its handler and the lease bookkeeping need. */
export type LeasedJob = Pick<
  Job,
  'id' | 'type' | 'payload' | 'zoneId' | 'createdBy' | 'status' | 'attemptCount' | 'maxAttempts' | 'leaseOwner' | 'leaseExpiresAt' | 'startedAt' | 'nextRunAt'
>;

export type CompletedJob = Pick<Job, 'id' | 'status' | 'finishedAt'>;

/**
 * The job state machine (docs/ARCHITECTURE.md §8). Every transition is one compare-and-set
 * `UPDATE jobs … WHERE id = $1 AND status IN (…)`; when no row matches, the job's
 * actual status is read and IllegalTransitionError names it. Two workers can never
 * both lease one job, and a worker whose lease was lost (recovered, cancelled) can
 * no longer complete or fail the job: its result is discarded.
 *
 * The two hot transitions, lease and complete, are group-committed: calls that
 * meet while a statement is running go together in the next one (TransitionBatcher),
 * still one compare-and-set UPDATE in which each job's row is checked and changed
 * on its own, so a busy worker pays one round trip and one commit for many jobs.
 */
@Injectable()
export class JobStateMachine {
  private readonly leases = new TransitionBatcher<LeaseRequest, LeasedJob | null>((items) => this.leaseAnswers(items), MAX_TRANSITION_BATCH);
  private readonly completions = new TransitionBatcher<CompleteRequest, CompletedJob>(
    (items) => this.completeAnswers(items),
    MAX_TRANSITION_BATCH,
  );

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: JobClock,
  ) {}

  /** queued | retry_wait → running, when due. Null when the job is leasable but not due yet. */
  lease(id: string, owner: string, leaseMs: number): Promise<LeasedJob | null> {
    return this.leases.submit({ id, owner, leaseMs });
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
  complete(id: string, owner: string, result: Record<string, unknown>): Promise<CompletedJob> {
    return this.completions.submit({ id, owner, result });
  }

  /**
   * running → retry_wait (next_run_at = now + backoff[attempt-1], or + advice.retryInMs)
   * while attempts are left and advice.retry is not false, otherwise running → failed.
   */
  async fail(
    id: string,
    owner: string,
    error: string,
    backoffSeconds: readonly number[],
    advice: RetryAdvice = {},
  ): Promise<Job> {
    return this.transition(
      id,
      'retry_wait|failed',
      `UPDATE jobs SET
         status = CASE WHEN $6::boolean OR attempt_count >= max_attempts THEN 'failed' ELSE 'retry_wait' END,
         next_run_at = CASE WHEN $6::boolean OR attempt_count >= max_attempts THEN next_run_at
           WHEN $7::double precision IS NOT NULL THEN $4::timestamptz + make_interval(secs => $7::double precision / 1000)
           ELSE $4::timestamptz + make_interval(secs => ($5::int[])[LEAST(GREATEST(attempt_count, 1), cardinality($5::int[]))]) END,
         finished_at = CASE WHEN $6::boolean OR attempt_count >= max_attempts THEN $4::timestamptz ELSE NULL END,
         dispatched_at = NULL, last_error = $3, lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
       WHERE id = $1 AND status = 'running' AND lease_owner = $2 RETURNING *`,
      [
        id,
        owner,
        error,
        this.clock.now(),
        backoffSeconds.length > 0 ? [...backoffSeconds] : [0],
        advice.retry === false,
        advice.retryInMs === undefined ? null : Math.max(0, advice.retryInMs),
      ],
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

  /**
   * markDispatched() for many rows in one UPDATE. Rows another transaction holds
   * (a lease batch taking them right now) are skipped, not waited for: waiting
   * could deadlock with that batch, and a row left unmarked is only published once
   * more by the outbox sweeper (BullMQ drops the duplicate, the lease CAS the rest).
   */
  async markDispatchedMany(rows: ReadonlyArray<{ id: string; attemptCount: number }>): Promise<void> {
    await this.dataSource.query(
      `UPDATE jobs j SET dispatched_at = $3
       FROM (SELECT c.id FROM jobs c JOIN unnest($1::uuid[], $2::int[]) AS d(id, attempt_count) ON c.id = d.id
             WHERE (c.attempt_count = d.attempt_count AND c.status IN ('queued', 'retry_wait')) IS TRUE
             ORDER BY c.id FOR UPDATE OF c SKIP LOCKED) AS free
       WHERE j.id = free.id`,
      [rows.map((row) => row.id), rows.map((row) => row.attemptCount), this.clock.now()],
    );
  }

  async statusOf(id: string, zoneId?: string, manager: EntityManager = this.dataSource.manager): Promise<JobStatus> {
    const rows = await manager.query<Array<{ status: JobStatus }>>(
      `SELECT status FROM jobs WHERE id = $1 AND ($2::uuid IS NULL OR zone_id = $2)`,
      [id, zoneId ?? null],
    );
    if (!rows[0]) throw jobNotFound(id);
    return rows[0].status;
  }

  private async leaseAnswers(items: LeaseRequest[]): Promise<BatchAnswers<LeasedJob | null>> {
    const leased = await leaseBatch(this.dataSource, items, this.clock.now());
    const answers: BatchAnswers<LeasedJob | null> = new Map(leased.map((raw) => [String(raw.id), hydrateJob(this.dataSource, raw)]));
    return this.answerUnchanged(answers, items, 'running', { notDue: null });
  }

  private async completeAnswers(items: CompleteRequest[]): Promise<BatchAnswers<CompletedJob>> {
    const completed = await completeBatch(this.dataSource, items, this.clock.now());
    const answers: BatchAnswers<CompletedJob> = new Map(
      completed.map((raw) => [String(raw.id), { id: String(raw.id), status: 'succeeded', finishedAt: raw.finished_at as Date }]),
    );
    return this.answerUnchanged(answers, items, 'succeeded');
  }

  /**
   * Answers the jobs a batch statement left unchanged, from their current status:
   * NotFoundError when there is no such job; `lease.notDue` when a lease found it
   * still leasable (not due yet); otherwise IllegalTransitionError to `target`.
   */
  private async answerUnchanged<O>(
    answers: BatchAnswers<O>,
    items: ReadonlyArray<{ id: string }>,
    target: JobStatus,
    lease?: { notDue: O },
  ): Promise<BatchAnswers<O>> {
    const missing = items.map((item) => item.id).filter((id) => !answers.has(id));
    if (missing.length === 0) return answers;
    const rows = await this.dataSource.query<Array<{ id: string; status: JobStatus }>>(
      `SELECT id, status FROM jobs WHERE id = ANY($1::uuid[])`,
      [missing],
    );
    const current = new Map(rows.map((row) => [row.id, row.status]));
    for (const id of missing) {
      const status = current.get(id);
      if (status === undefined) answers.set(id, jobNotFound(id));
      else if (lease && LEASABLE.includes(status)) answers.set(id, lease.notDue);
      else answers.set(id, new IllegalTransitionError('Job', id, status, target));
    }
    return answers;
  }

  private async transition(id: string, to: string, sql: string, parameters: unknown[]): Promise<Job> {
    const rows = returnedRows(await this.dataSource.query(sql, parameters));
    if (rows[0]) return hydrateJob(this.dataSource, rows[0]);
    throw new IllegalTransitionError('Job', id, await this.statusOf(id), to);
  }
}
