import { Injectable } from '@nestjs/common';
import { BaseConfig, decodeCursor, encodeCursor } from '@nexus/core';
import type { Principal } from '@nexus/core';
import { DataSource } from 'typeorm';
import { JobArtifact } from '../entities/job-artifact.entity';
import { Job } from '../entities/job.entity';
import { WorkerHeartbeat } from '../entities/worker-heartbeat.entity';
import { jobNotFound } from '../jobs.errors';
import { JobSubmitter } from '../queue/job-submitter';
import { JobStateMachine } from '../state/job-state-machine';
import type { JobArtifactResponse, JobPage, JobResponse, ListJobsQueryDto, SubmitJobDto } from '../api/jobs.dto';
import { toJobArtifactResponse, toJobResponse } from '../api/jobs.dto';
import type { WorkerResponse } from '../api/workers.dto';
import { toWorkerResponse } from '../api/workers.dto';

const isCursor = (value: unknown): value is { id: string } =>
  typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string' &&
  /^[0-9a-f-]{36}$/.test((value as { id: string }).id);

/** Submitting, reading and cancelling jobs, always inside the caller's zone. */
@Injectable()
export class JobsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly stateMachine: JobStateMachine,
    private readonly submitter: JobSubmitter,
    private readonly config: BaseConfig,
  ) {}

  /** Commits the row, then publishes it. A repeated idempotency key returns the existing job. */
  async submit(principal: Principal, input: SubmitJobDto): Promise<{ job: JobResponse; created: boolean }> {
    const createdBy = `${principal.subjectType}:${principal.subjectId}`;
    const { job, created } = await this.submitter.submit({ ...input, zoneId: principal.zoneId, createdBy });
    return { job: toJobResponse(job), created };
  }

  async list(zoneId: string, query: ListJobsQueryDto): Promise<JobPage> {
    const filtered = this.dataSource.getRepository(Job).createQueryBuilder('j').where('j.zone_id = :zoneId', { zoneId });
    if (query.status) filtered.andWhere('j.status = :status', { status: query.status });
    if (query.type) filtered.andWhere('j.type = :type', { type: query.type });
    if (query.createdBy) filtered.andWhere('j.created_by = :createdBy', { createdBy: query.createdBy });
    if (query.createdAfter) filtered.andWhere('j.created_at > :after', { after: query.createdAfter });
    if (query.createdBefore) filtered.andWhere('j.created_at < :before', { before: query.createdBefore });
    const total = await filtered.getCount();
    const page = filtered.clone().orderBy('j.created_at', 'DESC').addOrderBy('j.id', 'DESC').take(query.limit + 1);
    if (query.cursor) {
      const { id } = decodeCursor(query.cursor, isCursor);
      page.andWhere('(j.created_at, j.id) < (SELECT c.created_at, c.id FROM jobs c WHERE c.id = :cursorId AND c.zone_id = :zoneId)', {
        cursorId: id,
      });
    } else if (query.offset) {
      page.skip(query.offset);
    }
    const jobs = await page.getMany();
    const more = jobs.length > query.limit;
    const items = jobs.slice(0, query.limit);
    const last = items[items.length - 1];
    return { items: items.map(toJobResponse), nextCursor: more && last ? encodeCursor({ id: last.id }) : null, total };
  }

  async get(zoneId: string, id: string): Promise<JobResponse> {
    return toJobResponse(await this.find(zoneId, id));
  }

  async cancel(zoneId: string, id: string): Promise<JobResponse> {
    return toJobResponse(await this.stateMachine.cancel(id, zoneId));
  }

  async artifacts(zoneId: string, id: string): Promise<{ items: JobArtifactResponse[] }> {
    await this.find(zoneId, id);
    const artifacts = await this.dataSource.getRepository(JobArtifact).find({ where: { jobId: id }, order: { createdAt: 'ASC' } });
    return { items: artifacts.map(toJobArtifactResponse) };
  }

  async workers(): Promise<{ items: WorkerResponse[] }> {
    const rows = await this.dataSource.getRepository(WorkerHeartbeat).find({ order: { lastSeenAt: 'DESC' }, take: 1000 });
    const now = new Date();
    return { items: rows.map((row) => toWorkerResponse(row, now, 3 * this.config.NEXUS_WORKER_HEARTBEAT_MS)) };
  }

  private async find(zoneId: string, id: string): Promise<Job> {
    const job = await this.dataSource.getRepository(Job).findOneBy({ id, zoneId });
    if (!job) throw jobNotFound(id);
    return job;
  }
}
