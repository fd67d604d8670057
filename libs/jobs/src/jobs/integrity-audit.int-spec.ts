import type { INestApplicationContext } from '@nestjs/common';
import type { WorkerConfig } from '@nexus/core';
import { createTestDatabase } from '@nexus/storage-models/testing';
import type { TestDatabase } from '@nexus/storage-models/testing';
import { DataSource } from 'typeorm';
import { JobsService } from '../service/jobs.service';
import { INTEGRITY_AUDIT_JOB, NOOP_JOB } from './system-job-types';
import {
  dropQueue,
  jobRow,
  startJobsContext,
  startWorkerContext,
  testPrincipal,
  testWorkerConfig,
} from '../testing';
import { JobWorkerHost } from '../worker/job-worker-host';
import { IntegrityAuditJobHandler } from './integrity-audit.handler';

describe('system.integrity_audit', () => {
  let database: TestDatabase;
  let config: WorkerConfig;
  let api: INestApplicationContext;
  let service: JobsService;
  const principal = testPrincipal();

  beforeAll(async () => {
    database = await createTestDatabase('nexus_jobs_integrity');
    config = testWorkerConfig(database.url, { RETRY_BACKOFF_SECONDS: '0' });
    api = await startJobsContext(config);
    service = api.get(JobsService);
  });

  afterAll(async () => {
    await api?.close();
    if (config) await dropQueue(config);
    await database?.drop();
  });

  async function runOne(): Promise<number> {
    const worker = await startWorkerContext(config, { jobBudget: 1 });
    try {
      return await worker.get(JobWorkerHost).finished;
    } finally {
      await worker.close();
    }
  }

  it('hashes a sample of the zone’s rows, records an artifact, and matches a known checksum', async () => {
    // Rows of this zone to sample: jobs is zone-scoped; another zone's row must not count.
    await service.submit(principal, { type: NOOP_JOB.type, payload: {}, runAt: new Date('2099-01-01') });
    await service.submit(testPrincipal(), {
      type: NOOP_JOB.type,
      payload: {},
      runAt: new Date('2099-01-01'),
    });
    const { job } = await service.submit(principal, {
      type: INTEGRITY_AUDIT_JOB.type,
      payload: { table: 'jobs', sampleSize: 10 },
    });
    expect(await runOne()).toBe(1);
    const done = await jobRow(api, job.id);
    expect(done.status).toBe('succeeded');
    expect(done.result).toMatchObject({ table: 'jobs', sampled: 2, matches: null });
    const artifacts = await service.artifacts(principal.zoneId, job.id);
    expect(artifacts.items).toEqual([
      expect.objectContaining({
        kind: 'integrity_report',
        name: 'jobs',
        data: expect.objectContaining({ sampled: 2 }),
      }),
    ]);

    // Re-running the handler (at-least-once delivery) overwrites the same artifact.
    const handler = new IntegrityAuditJobHandler(api.get(DataSource));
    const context = {
      jobId: job.id,
      zoneId: principal.zoneId,
      createdBy: 'x',
      attempt: 2,
      maxAttempts: 3,
      signal: new AbortController().signal,
      progress: () => Promise.resolve(),
    };
    await handler.handle({ table: 'jobs', sampleSize: 10 }, context);
    expect((await service.artifacts(principal.zoneId, job.id)).items).toHaveLength(1);

    const first = await handler.handle({ table: 'jobs', sampleSize: 10 }, context);
    const checksum = first.status === 'succeeded' ? String(first.result?.checksum) : '';
    expect(
      await handler.handle({ table: 'jobs', sampleSize: 10, expectedChecksum: checksum }, context),
    ).toMatchObject({
      result: { matches: true },
    });
    expect(
      await handler.handle({ table: 'jobs', sampleSize: 10, expectedChecksum: '0'.repeat(64) }, context),
    ).toMatchObject({
      result: { matches: false },
    });
  });

  it('fails (no retry left) on a table that is not zone-scoped', async () => {
    const { job } = await service.submit(principal, {
      type: INTEGRITY_AUDIT_JOB.type,
      payload: { table: 'worker_heartbeats', sampleSize: 1 },
      maxAttempts: 1,
    });
    expect(await runOne()).toBe(1);
    expect(await jobRow(api, job.id)).toMatchObject({
      status: 'failed',
      lastError: expect.stringContaining('not zone-scoped'),
    });
  });
});
