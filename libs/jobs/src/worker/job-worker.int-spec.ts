import type { INestApplicationContext } from '@nestjs/common';
import { MetricsService } from '@nexus/core';
import type { WorkerConfig } from '@nexus/core';
import { createTestDatabase } from '@nexus/storage-models/testing';
import type { TestDatabase } from '@nexus/storage-models/testing';
import { DataSource } from 'typeorm';
import { JobsService } from '../service/jobs.service';
import { NoopJobHandler } from '../jobs/noop.handler';
import { NOOP_JOB } from '../jobs/system-job-types';
import type { NoopPayload } from '../jobs/system-job-types';
import type { JobContext } from '../registry/job-handler';
import { dropQueue, eventually, jobRow, startJobsContext, startWorkerContext, testPrincipal, testWorkerConfig } from '../testing';
import { JobWorkerHost } from './job-worker-host';

async function statusCounts(api: INestApplicationContext): Promise<Record<string, number>> {
  const rows = await api.get(DataSource).query<Array<{ status: string; n: number }>>(
    'SELECT status, count(*)::int AS n FROM jobs GROUP BY status',
  );
  return Object.fromEntries(rows.map((row) => [row.status, row.n]));
}

describe('job worker (real PostgreSQL, Redis and BullMQ)', () => {
  let database: TestDatabase;
  let config: WorkerConfig;
  let api: INestApplicationContext;
  let service: JobsService;
  const principal = testPrincipal();
  const runs: Array<{ jobId: string; attempt: number; signal: AbortSignal }> = [];
  let handle: jest.SpyInstance;

  beforeAll(async () => {
    database = await createTestDatabase('nexus_jobs_worker');
    const original = NoopJobHandler.prototype.handle;
    handle = jest.spyOn(NoopJobHandler.prototype, 'handle').mockImplementation(function (this: NoopJobHandler, payload: NoopPayload, context: JobContext) {
      runs.push({ jobId: context.jobId, attempt: context.attempt, signal: context.signal });
      return original.call(this, payload, context);
    });
  });

  afterAll(async () => {
    handle?.mockRestore();
    await database?.drop();
  });

  // Each test gets a fresh queue and an empty jobs table.
  beforeEach(async () => {
    config = testWorkerConfig(database.url, {
      RETRY_BACKOFF_SECONDS: '0',
      NEXUS_JOB_LEASE_MS: '600',
      NEXUS_JOB_SWEEP_INTERVAL_MS: '300',
      NEXUS_WORKER_HEARTBEAT_MS: '200',
      NEXUS_JOB_DRAIN_GRACE_MS: '300',
    });
    api = await startJobsContext(config);
    service = api.get(JobsService);
    await api.get(DataSource).query('TRUNCATE jobs CASCADE');
    runs.length = 0;
  });

  afterEach(async () => {
    await api?.close();
    await dropQueue(config);
  });

  async function submitNoop(payload: NoopPayload = {}, count = 1): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i += 1) ids.push((await service.submit(principal, { type: NOOP_JOB.type, payload: { ...payload } })).job.id);
    return ids;
  }

  async function boundedRun(budget: number, concurrency = 4): Promise<number> {
    const worker = await startWorkerContext(config, { jobBudget: budget, concurrency });
    try {
      return await worker.get(JobWorkerHost).finished;
    } finally {
      await worker.close();
    }
  }

  it('--once with no jobs exits with 0', async () => {
    expect(await boundedRun(1)).toBe(0);
  });

  it('--once with one job runs it and exits with 1', async () => {
    const [id] = await submitNoop({ echo: 'hi' });
    expect(await boundedRun(1)).toBe(1);
    expect(await jobRow(api, id!)).toMatchObject({ status: 'succeeded', attemptCount: 1, result: { echo: 'hi', attempt: 1 } });
  });

  it('--once with many jobs runs exactly one', async () => {
    await submitNoop({}, 4);
    expect(await boundedRun(1)).toBe(1);
    expect(await statusCounts(api)).toEqual({ succeeded: 1, queued: 3 });
    expect(runs).toHaveLength(1);
  });

  it('--max-jobs 3 with 5 queued runs 3 and exits with 3', async () => {
    await submitNoop({}, 5);
    expect(await boundedRun(3)).toBe(3);
    expect(await statusCounts(api)).toEqual({ succeeded: 3, queued: 2 });
  });

  it('publishes rows that never reached Redis (outbox) and runs them', async () => {
    const dataSource = api.get(DataSource);
    await dataSource.query(
      `INSERT INTO jobs (zone_id, type, payload, next_run_at, created_by, updated_at) VALUES ($1, 'system.noop', '{}', now(), 'test:outbox', now() - interval '1 minute')`,
      [principal.zoneId],
    );
    expect(await boundedRun(1)).toBe(1);
    expect(await statusCounts(api)).toEqual({ succeeded: 1 });
  });

  it('never runs one job twice: many workers race on many jobs, with duplicate deliveries', async () => {
    const ids = await submitNoop({ failTimes: 1 }, 60);
    // Extra deliveries of every row make workers contend for the same job.
    const { JobQueue } = await import('../queue/job-queue');
    const queue = api.get(JobQueue).queue;
    await queue.addBulk(ids.flatMap((id) => [1, 2].map((n) => ({ name: 'run', data: { jobId: id }, opts: { jobId: `${id}-dup${n}` } }))));
    const workers = await Promise.all(Array.from({ length: 5 }, () => startWorkerContext(config, { concurrency: 4 })));
    try {
      await eventually(async () => expect(await statusCounts(api)).toEqual({ succeeded: 60 }), 30_000, 100);
    } finally {
      await Promise.all(workers.map((worker) => worker.close()));
    }
    const seen = new Set(runs.map((run) => `${run.jobId}#${run.attempt}`));
    expect(seen.size).toBe(runs.length);
    expect(runs).toHaveLength(120);
    for (const id of ids) expect((await jobRow(api, id)).attemptCount).toBe(2);
  }, 60_000);

  it('renews the lease of a job that runs longer than one lease, so no sweeper recovers it; records metrics', async () => {
    const [id] = await submitNoop({ sleepMs: 1_500 });
    const worker = await startWorkerContext(config, { workerId: 'renewing-worker' });
    try {
      await eventually(async () => expect((await jobRow(api, id!)).status).toBe('succeeded'));
      expect(await jobRow(api, id!)).toMatchObject({ attemptCount: 1 });
      const recoveries = await api.get(DataSource).query<unknown[]>(`SELECT 1 FROM audit_log WHERE action = 'stale_lease_recovery'`);
      expect(recoveries).toHaveLength(0);
      const metrics = await worker.get(MetricsService).render();
      expect(metrics).toMatch(/nexus_job_duration_seconds_count\{type="system.noop",outcome="succeeded"\} 1/);
    } finally {
      await worker.close();
    }
  });

  it('recovers the job of a crashed worker (expired lease), audits it and runs it again', async () => {
    const [id] = await submitNoop();
    await api.get(DataSource).query(
      `UPDATE jobs SET status = 'running', attempt_count = 1, lease_owner = 'dead-worker', lease_expires_at = now() - interval '1 second' WHERE id = $1`,
      [id],
    );
    const worker = await startWorkerContext(config, { workerId: 'rescuer' });
    try {
      await eventually(async () => expect(await jobRow(api, id!)).toMatchObject({ status: 'succeeded', attemptCount: 2 }));
    } finally {
      await worker.close();
    }
    const audit = await api.get(DataSource).query<Array<{ details: Record<string, unknown> }>>(
      `SELECT details FROM audit_log WHERE action = 'stale_lease_recovery' AND resource_id = $1`,
      [id],
    );
    expect(audit.map((row) => row.details)).toEqual([
      { jobId: id, originalLeaseOwner: 'dead-worker', recoveringWorker: 'rescuer', newStatus: 'retry_wait' },
    ]);
  });

  it('cancelling a running job aborts its handler and discards its result', async () => {
    const [id] = await submitNoop({ sleepMs: 20_000 });
    const worker = await startWorkerContext(config);
    try {
      await eventually(async () => expect((await jobRow(api, id!)).status).toBe('running'));
      await service.cancel(principal.zoneId, id!);
      await eventually(async () => expect(runs[0]?.signal.aborted).toBe(true), 5_000);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await jobRow(api, id!)).toMatchObject({ status: 'cancelled', result: null });
    } finally {
      await worker.close();
    }
  });

  it('cancels queued and retry_wait jobs so no worker runs them', async () => {
    const [queued, waiting] = await submitNoop({ failTimes: 1 }, 2);
    await service.cancel(principal.zoneId, queued!);
    await api.get(DataSource).query(`UPDATE jobs SET status = 'retry_wait', attempt_count = 1 WHERE id = $1`, [waiting]);
    await service.cancel(principal.zoneId, waiting!);
    expect(await boundedRun(1)).toBe(0);
    expect(runs).toHaveLength(0);
    expect(await statusCounts(api)).toEqual({ cancelled: 2 });
  });

  it('draining releases a running job back to retry_wait without using an attempt', async () => {
    const [id] = await submitNoop({ sleepMs: 20_000 });
    const worker = await startWorkerContext(config);
    await eventually(async () => expect((await jobRow(api, id!)).status).toBe('running'));
    await worker.close();
    expect(await jobRow(api, id!)).toMatchObject({ status: 'retry_wait', attemptCount: 0, leaseOwner: null });
    expect(runs[0]?.signal.aborted).toBe(true);
  });

  it('heartbeats while running and says stopped after the drain', async () => {
    const worker = await startWorkerContext(config, { workerId: 'hb-test-1' });
    const rows = () => api.get(DataSource).query<Array<{ state: string; last_seen_at: Date }>>(
      `SELECT state, last_seen_at FROM worker_heartbeats WHERE worker_id = 'hb-test-1'`,
    );
    const first = (await rows())[0];
    expect(first?.state).toBe('running');
    await eventually(async () => expect((await rows())[0]!.last_seen_at.getTime()).toBeGreaterThan(first!.last_seen_at.getTime()));
    await worker.close();
    expect((await rows())[0]?.state).toBe('stopped');
    const listed = await service.workers();
    expect(listed.items.find((w) => w.workerId === 'hb-test-1')).toMatchObject({ state: 'stopped', alive: false });
  });
});
