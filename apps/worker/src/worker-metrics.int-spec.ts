import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { AddressInfo, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import type { WorkerConfig } from '@nexus/core';
import { freePort, startNexusProcess } from '@nexus/core/testing';
import type { NexusProcess } from '@nexus/core/testing';
import { JobSubmitter, NOOP_JOB } from '@nexus/jobs';
import {
  dropQueue,
  eventually,
  jobRow,
  startJobsContext,
  testPrincipal,
  testWorkerConfig,
} from '@nexus/jobs/testing';
import { createTestDatabase } from '@nexus/storage-models/testing';
import type { TestDatabase } from '@nexus/storage-models/testing';

const WORKER_MAIN = 'apps/worker/src/main.ts';

/** The worker process's /metrics and /healthz, against the real PostgreSQL and Redis. */
describe('worker metrics server (process)', () => {
  let database: TestDatabase;
  let config: WorkerConfig;
  let api: INestApplicationContext;
  let dataDir: string;
  const started: NexusProcess[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('nexus_worker_metrics');
    dataDir = await mkdtemp(join(tmpdir(), 'nexus-worker-metrics-'));
    config = testWorkerConfig(database.url);
    // The API side of the job system, in this process: it migrates and submits as the HTTP API does.
    api = await startJobsContext(config);
  });

  afterAll(async () => {
    for (const worker of started) await worker.stop('SIGKILL');
    await api?.close();
    if (config) await dropQueue(config);
    await database?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  function startWorker(env: Record<string, string>): NexusProcess {
    const worker = startNexusProcess(WORKER_MAIN, {
      DATABASE_URL: database.url,
      NEXUS_DATA_DIR: dataDir,
      NEXUS_JOBS_QUEUE: config.NEXUS_JOBS_QUEUE ?? '',
      NEXUS_JOB_RETENTION_DAYS: '0',
      ...env,
    });
    started.push(worker);
    return worker;
  }

  it('serves /healthz and /metrics with a nexus_job_duration_seconds sample for a system.noop job it ran', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const worker = startWorker({ NEXUS_WORKER_METRICS_PORT: String(port) });
    const [, workerId] = await worker.waitForOutput(/Nexus worker (\S+) started/);

    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', workerId });
    expect((await fetch(`${base}/nope`)).status).toBe(404);

    const { job } = await api.get(JobSubmitter).submit({
      zoneId: testPrincipal().zoneId,
      createdBy: 'test:metrics',
      type: NOOP_JOB.type,
      payload: { echo: 'scraped' },
    });
    await eventually(async () => expect((await jobRow(api, job.id)).status).toBe('succeeded'), 30_000, 100);

    const metrics = await fetch(`${base}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const body = await metrics.text();
    expect(body).toMatch(/^nexus_job_duration_seconds_count\{type="system\.noop",outcome="succeeded"\} 1$/m);
    expect(body).toMatch(/^nexus_job_leases_total\{outcome="leased"\} [1-9]\d*$/m);
    expect(body).toMatch(/^nexus_worker_heartbeats_total [1-9]\d*$/m);
    expect(body).toMatch(/^nexus_worker_last_heartbeat_timestamp_seconds \d{10}/m);
    expect(body).toMatch(
      /^nexus_job_duration_seconds_bucket\{le="\+Inf",type="system\.noop",outcome="succeeded"\} 1$/m,
    );
    // The queue gauge is the API's: every worker reporting the same totals would multiply them.
    expect(body).not.toMatch(/^nexus_jobs\{/m);

    expect(await worker.stop('SIGTERM')).toBe(0);
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
  }, 90_000);

  it('answers /healthz while still waiting for Redis, and /metrics 503 until the worker has connected', async () => {
    const port = await freePort();
    const worker = startWorker({ NEXUS_WORKER_METRICS_PORT: String(port), REDIS_URL: 'redis://127.0.0.1:1' });
    await worker.waitForOutput(/Redis unreachable/);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(503);
    expect(await worker.stop('SIGTERM')).toBe(0);
  }, 60_000);

  it('exits 78 naming NEXUS_WORKER_METRICS_PORT when the port is taken, before it leases anything', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as AddressInfo;
    try {
      const worker = startWorker({ NEXUS_WORKER_METRICS_PORT: String(port) });
      expect(await worker.exited(60_000)).toBe(78);
      expect(worker.output()).toContain(
        `Configuration error: NEXUS_WORKER_METRICS_PORT: port ${port} on 127.0.0.1 is already in use`,
      );
      expect(worker.output()).not.toMatch(/Nexus worker \S+ started/);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  }, 60_000);
});
