import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { startNexusProcess } from '@nexus/core/testing';
import { dropQueue } from '@nexus/jobs/testing';
import { buildDataSourceOptions, runMigrationsWithLock } from '@nexus/storage-models';
import { ALL_ENTITIES } from '@nexus/storage-models/all-entities';
import { createTestDatabase } from '@nexus/storage-models/testing';
import type { TestDatabase } from '@nexus/storage-models/testing';
import { DataSource } from 'typeorm';

const WORKER_MAIN = 'apps/worker/src/main.ts';

describe('worker process', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase('nexus_worker_process');
  });

  afterAll(async () => {
    await database?.drop();
  });

  it('starts with an identity hostname-pid-rand8 and stops cleanly on SIGTERM', async () => {
    const worker = startNexusProcess(WORKER_MAIN, { DATABASE_URL: database.url });
    try {
      const [, workerId] = await worker.waitForOutput(/Nexus worker (\S+) started/);
      expect(workerId).toMatch(new RegExp(`^.+-${worker.child.pid}-[0-9a-f]{8}$`));
      expect(await worker.stop('SIGTERM')).toBe(0);
      expect(worker.output()).toContain('Shutdown complete');
    } finally {
      await worker.stop('SIGKILL');
    }
  });

  it('says it waits for Redis when Redis is unreachable, keeps retrying, and still stops cleanly', async () => {
    const worker = startNexusProcess(WORKER_MAIN, { DATABASE_URL: database.url, REDIS_URL: 'redis://127.0.0.1:1' });
    try {
      await worker.waitForOutput(/Redis unreachable at redis:\/\/127\.0\.0\.1:1.*the worker processes no jobs until Redis is back/);
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(worker.child.exitCode).toBeNull();
      expect(worker.output().match(/Redis unreachable/g)).toHaveLength(1);
      expect(await worker.stop('SIGTERM')).toBe(0);
    } finally {
      await worker.stop('SIGKILL');
    }
  });

  it('without DATABASE_URL waits for the API to serve the embedded database, saying so', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'nexus-worker-'));
    const worker = startNexusProcess(WORKER_MAIN, { NEXUS_DATA_DIR: dataDir });
    try {
      await worker.waitForOutput(/Waiting for the embedded database in .*the API process serves it/);
      expect(await worker.stop('SIGTERM')).toBe(0);
    } finally {
      await worker.stop('SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  describe('with the job tables', () => {
    let jobsDatabase: TestDatabase;
    let dataSource: DataSource;
    const queue = { REDIS_URL: 'redis://127.0.0.1:6379', NEXUS_JOBS_QUEUE: `test-worker-process-${randomBytes(4).toString('hex')}` };
    const env = () => ({ DATABASE_URL: jobsDatabase.url, NEXUS_JOBS_QUEUE: queue.NEXUS_JOBS_QUEUE, NEXUS_JOB_SWEEP_INTERVAL_MS: '200' });

    beforeAll(async () => {
      jobsDatabase = await createTestDatabase('nexus_worker_jobs');
      dataSource = new DataSource(
        buildDataSourceOptions({ url: jobsDatabase.url, poolSize: 2, poolIdleMs: 1000, statementTimeoutMs: 0, entities: ALL_ENTITIES }),
      );
      await dataSource.initialize();
      await runMigrationsWithLock(dataSource, new Logger('test'));
    });

    afterAll(async () => {
      await dataSource?.destroy();
      await dropQueue(queue);
      await jobsDatabase?.drop();
    });

    async function queueNoops(count: number): Promise<void> {
      for (let i = 0; i < count; i += 1) {
        // Committed rows that never reached Redis: the worker's outbox sweeper publishes them.
        await dataSource.query(
          `INSERT INTO jobs (zone_id, type, payload, next_run_at, created_by, updated_at)
           VALUES ($1, 'system.noop', '{}', now(), 'test:process', now() - interval '1 minute')`,
          [randomUUID()],
        );
      }
    }

    async function counts(): Promise<Record<string, number>> {
      const rows = await dataSource.query<Array<{ status: string; n: number }>>('SELECT status, count(*)::int AS n FROM jobs GROUP BY status');
      return Object.fromEntries(rows.map((row) => [row.status, row.n]));
    }

    it('--once with no jobs exits with 0', async () => {
      const worker = startNexusProcess(WORKER_MAIN, env(), ['--once']);
      expect(await worker.exited(60_000)).toBe(0);
    });

    it('--once with two queued jobs runs one, exits with 1 and leaves a stopped heartbeat', async () => {
      await queueNoops(2);
      const worker = startNexusProcess(WORKER_MAIN, env(), ['--once']);
      expect(await worker.exited(60_000)).toBe(1);
      expect(await counts()).toEqual({ succeeded: 1, queued: 1 });
      const beats = await dataSource.query<Array<{ state: string; pid: number }>>('SELECT state, pid FROM worker_heartbeats WHERE pid = $1', [
        worker.child.pid,
      ]);
      expect(beats).toEqual([{ state: 'stopped', pid: worker.child.pid }]);
    });

    it('--max-jobs 3 runs three of the five queued jobs and exits with 3', async () => {
      await dataSource.query('TRUNCATE jobs CASCADE');
      await queueNoops(5);
      const worker = startNexusProcess(WORKER_MAIN, env(), ['--max-jobs', '3', '--concurrency', '2']);
      expect(await worker.exited(60_000)).toBe(3);
      expect(await counts()).toEqual({ succeeded: 3, queued: 2 });
    });

    it('refuses unknown flags with a usage error', async () => {
      const worker = startNexusProcess(WORKER_MAIN, env(), ['--fast']);
      expect(await worker.exited(60_000)).toBe(64);
      expect(worker.output()).toContain('unknown worker flag --fast');
    });
  });
});
