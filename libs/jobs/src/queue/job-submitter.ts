import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { EntityManager } from 'typeorm';
import { Job } from '../entities/job.entity';
import { DEFAULT_MAX_ATTEMPTS } from '../job-types';
import { idempotencyKeyReused } from '../jobs.errors';
import { JobTypes } from '../registry/job-types.registry';
import { JobClock } from '../state/clock';
import { hydrateJob, returnedRows } from '../state/job-rows';
import { JobDispatcher } from './job-dispatcher';
import { insertJobRows } from './insert-job-rows';

/** One job to submit on behalf of `createdBy` in `zoneId`. */
export interface JobSubmission {
  zoneId: string;
  /** `subjectType:subjectId` (a person, an agent, or `system:<what>` for scheduled work). */
  createdBy: string;
  type: string;
  payload?: Record<string, unknown>;
  maxAttempts?: number;
  runAt?: Date;
  /** A repeated key in the same zone returns the existing job instead of a new one. */
  idempotencyKey?: string;
}

/** A job to stage: a submission without zone and submitter (the batch's), optionally with its id chosen by the caller. */
export type StagedJobInput = Omit<JobSubmission, 'zoneId' | 'createdBy'> & { id?: string };

/** Jobs inserted in a caller's transaction; `publish()` hands them to BullMQ once it has committed. */
export interface StagedJobs {
  jobs: Job[];
  publish: () => Promise<void>;
}

/**
 * The one submit path, for the HTTP API and for in-process submitters (worker
 * schedulers): validates the payload, commits the row, then publishes it (the
 * outbox sweeper publishes it later if Redis is away).
 */
@Injectable()
export class JobSubmitter {
  constructor(
    private readonly dataSource: DataSource,
    private readonly dispatcher: JobDispatcher,
    private readonly clock: JobClock,
    private readonly jobTypes: JobTypes,
  ) {}

  async submit(input: JobSubmission): Promise<{ job: Job; created: boolean }> {
    const payload = this.jobTypes.validate(input.type, input.payload ?? {});
    const rows = returnedRows(
      await this.dataSource.query(
        `INSERT INTO jobs (zone_id, type, payload, status, max_attempts, next_run_at, idempotency_key, created_by)
         VALUES ($1, $2, $3, 'queued', $4, $5, $6, $7)
         ON CONFLICT (zone_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING RETURNING *`,
        [
          input.zoneId,
          input.type,
          JSON.stringify(payload),
          input.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
          input.runAt ?? this.clock.now(),
          input.idempotencyKey ?? null,
          input.createdBy,
        ],
      ),
    );
    if (rows[0]) {
      const job = hydrateJob(this.dataSource, rows[0]);
      await this.dispatcher.dispatch(job);
      return { job, created: true };
    }
    const existing = await this.dataSource.getRepository(Job).findOneByOrFail({
      zoneId: input.zoneId,
      idempotencyKey: input.idempotencyKey ?? '',
    });
    if (existing.type !== input.type) {
      throw idempotencyKeyReused(existing);
    }
    return { job: existing, created: false };
  }

  /**
   * Inserts jobs of one zone and submitter in the caller's transaction, so they
   * commit (or roll back) with the caller's own rows. Call `publish()` after the
   * commit; if it is never called or Redis is away, the outbox sweeper publishes
   * them within seconds. Repeated idempotency keys are skipped.
   */
  async stage(
    manager: EntityManager,
    zoneId: string,
    createdBy: string,
    inputs: readonly StagedJobInput[],
  ): Promise<StagedJobs> {
    const now = this.clock.now();
    const prepared = inputs.map((input) => ({
      id: input.id ?? randomUUID(),
      type: input.type,
      payload: JSON.stringify(this.jobTypes.validate(input.type, input.payload ?? {})),
      maxAttempts: input.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      runAt: input.runAt ?? now,
      idempotencyKey: input.idempotencyKey ?? null,
    }));
    const jobs = await insertJobRows(this.dataSource, manager, zoneId, createdBy, prepared);
    return { jobs, publish: async () => void (await this.dispatcher.dispatchMany(jobs)) };
  }
}
