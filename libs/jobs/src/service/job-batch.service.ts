import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Principal } from '@nexus/core';
import { DataSource } from 'typeorm';
import type { EntityManager } from 'typeorm';
import type { Job } from '../entities/job.entity';
import { DEFAULT_MAX_ATTEMPTS } from '../job-types';
import { batchSizeInvalid, duplicateIdempotencyKey, idempotencyKeyReused } from '../jobs.errors';
import { JobDispatcher } from '../queue/job-dispatcher';
import { insertJobRows } from '../queue/insert-job-rows';
import type { PreparedJob } from '../queue/insert-job-rows';
import { JobTypes } from '../registry/job-types.registry';
import { JobClock } from '../state/clock';
import { hydrateJob, returnedRows } from '../state/job-rows';
import type { JobResponse, SubmitJobDto } from '../api/jobs.dto';
import { toJobResponse } from '../api/jobs.dto';

export const MAX_BATCH_JOBS = 1_000;


/**
 * Batch submission: validates every entry like a single submit, inserts them all
 * in one transaction (all or nothing), then publishes the new rows with one
 * BullMQ addBulk. Entries whose idempotencyKey already exists return that job.
 */
@Injectable()
export class JobBatchService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly dispatcher: JobDispatcher,
    private readonly clock: JobClock,
    private readonly jobTypes: JobTypes,
  ) {}

  async submitMany(principal: Principal, inputs: readonly SubmitJobDto[]): Promise<{ items: JobResponse[]; created: number }> {
    const prepared = this.prepare(inputs);
    const createdBy = `${principal.subjectType}:${principal.subjectId}`;
    const { jobs, created } = await this.dataSource.transaction(async (manager) => {
      const inserted = await insertJobRows(this.dataSource, manager, principal.zoneId, createdBy, prepared);
      const byId = new Map(inserted.map((job) => [job.id, job]));
      const existing = await this.existing(manager, principal.zoneId, prepared.filter((job) => !byId.has(job.id)));
      const ordered = prepared.map((job) => byId.get(job.id) ?? existing.get(job.idempotencyKey ?? ''));
      return { jobs: ordered.filter((job): job is Job => job !== undefined), created: inserted };
    });
    await this.dispatcher.dispatchMany(created);
    return { items: jobs.map(toJobResponse), created: created.length };
  }

  private prepare(inputs: readonly SubmitJobDto[]): PreparedJob[] {
    if (inputs.length < 1 || inputs.length > MAX_BATCH_JOBS) {
      throw batchSizeInvalid(MAX_BATCH_JOBS, inputs.length);
    }
    const keys = new Set<string>();
    return inputs.map((input, index) => {
      const payload = this.jobTypes.validate(input.type, input.payload ?? {}, index);
      if (input.idempotencyKey !== undefined) {
        if (keys.has(input.idempotencyKey)) {
          throw duplicateIdempotencyKey(index);
        }
        keys.add(input.idempotencyKey);
      }
      return {
        id: randomUUID(),
        type: input.type,
        payload: JSON.stringify(payload),
        maxAttempts: input.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
        runAt: input.runAt ?? this.clock.now(),
        idempotencyKey: input.idempotencyKey ?? null,
      };
    });
  }

  /** Jobs that already held a key of this batch; 409 when one is of another type. */
  private async existing(manager: EntityManager, zoneId: string, repeats: readonly PreparedJob[]): Promise<Map<string, Job>> {
    if (repeats.length === 0) return new Map();
    const rows = returnedRows(
      await manager.query(`SELECT * FROM jobs WHERE zone_id = $1 AND idempotency_key = ANY($2::varchar[])`, [
        zoneId,
        repeats.map((job) => job.idempotencyKey),
      ]),
    );
    const found = new Map(rows.map((raw) => hydrateJob(this.dataSource, raw)).map((job) => [job.idempotencyKey ?? '', job]));
    for (const job of repeats) {
      const match = found.get(job.idempotencyKey ?? '');
      if (match && match.type !== job.type) {
        throw idempotencyKeyReused(match);
      }
    }
    return found;
  }
}
