import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { freePort, startNexusProcess } from '@nexus/core/testing';
import { dropQueue } from '@nexus/jobs/testing';
import { buildDataSourceOptions, runMigrationsWithLock } from '@nexus/storage-models';
import { createTestDatabase } from '@nexus/storage-models/testing';
import type { TestDatabase } from '@nexus/storage-models/testing';
import { DataSource } from 'typeorm';
import { WORKER_DOMAINS } from './domains';

const WORKER_MAIN = 'apps/worker/src/main.ts';
// Several workers may run on this machine (other test files, `npm start`): no test takes the default metrics port.
const NO_METRICS = { NEXUS_WORKER_METRICS_PORT: '0' };

// Each case spawns the worker under @swc-node/register (transpiling its whole import graph): seconds
// each on a quiet machine, far more on a loaded one, where jest's 30 s default was not enough for two.
jest.setTimeout(120_000);

describe('worker process', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase('nexus_worker_process');
  });

  afterAll(async () => {
    await database?.drop();
  });

  it('--help prints every flag with its meaning and exits 0, whatever the environment', async () => {
    for (const flag of ['--help', '-h']) {
      const worker = startNexusProcess(WORKER_MAIN, { NEXUS_WORKER_METRICS_PORT: 'not-a-port' }, [flag]);
      expect(await worker.exited(60_000)).toBe(0);
      const output = worker.output();
      expect(output).toMatch(/^Usage: node apps\/worker\/src\/main.ts \[--once/);
      for (const line of [/--once +Process at most one job/, /--max-jobs N +Process at most N jobs/, /--concurrency N +Jobs run at the same time/, /-h, --help +Print this help/]) {
        expect(output).toMatch(line);
      }
    }
  });

  it.each([
    [['--fast'], 'unknown worker flag --fast'],
    [['--max-jobs', 'x'], '--max-jobs needs a whole number'],
    [['--max-jobs'], '--max-jobs needs a whole number'],
    [['--concurrency', '0'], '--concurrency needs a whole number'],
    [['--once=1'], '--once takes no value'],
  ])('refuses %p with exit 64 and a message naming the flag on stderr', async (args, message) => {
    const worker = startNexusProcess(WORKER_MAIN, NO_METRICS, args);
    expect(await worker.exited(60_000)).toBe(64);
    expect(worker.output()).toContain(`Nexus worker: ${message}`);
  });

  it('starts with an identity hostname-pid-rand8 and stops cleanly on SIGTERM', async () => {
    const worker = startNexusProcess(WORKER_MAIN, { DATABASE_URL: database.url, ...NO_METRICS });
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
    const worker = startNexusProcess(WORKER_MAIN, { DATABASE_URL: database.url, REDIS_URL: 'redis://127.0.0.1:1', ...NO_METRICS });
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

  // The launcher (`npm start`) owns the embedded server and hands its URL to the worker; alone, the worker says so.
  it('without DATABASE_URL exits non-zero saying to use npm start or set DATABASE_URL', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'nexus-worker-'));
    const worker = startNexusProcess(WORKER_MAIN, { NEXUS_DATA_DIR: dataDir, ...NO_METRICS });
    try {
      expect(await worker.exited(60_000)).toBe(1);
      expect(worker.output()).toContain('DATABASE_URL is not set: start Nexus with `npm start`');
    } finally {
      await worker.stop('SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  describe('with the job tables', () => {
    let jobsDatabase: TestDatabase;
    let dataSource: DataSource;
    const queue = { REDIS_URL: 'redis://127.0.0.1:6379', NEXUS_JOBS_QUEUE: `test-worker-process-${randomBytes(4).toString('hex')}` };
    const env = () => ({ DATABASE_URL: jobsDatabase.url, NEXUS_JOBS_QUEUE: queue.NEXUS_JOBS_QUEUE, NEXUS_JOB_SWEEP_INTERVAL_MS: '200', ...NO_METRICS });

    beforeAll(async () => {
      jobsDatabase = await createTestDatabase('nexus_worker_jobs');
      dataSource = new DataSource(
        buildDataSourceOptions({ url: jobsDatabase.url, poolSize: 2, poolIdleMs: 1000, statementTimeoutMs: 0, schema: WORKER_DOMAINS }),
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

    it('--once with no jobs exits with 0, saying it processed none', async () => {
      const worker = startNexusProcess(WORKER_MAIN, env(), ['--once']);
      expect(await worker.exited(60_000)).toBe(0);
      expect(worker.output()).toContain('Processed 0 job(s)');
    });

    it('--once with two queued jobs runs one, exits with 0 and leaves a stopped heartbeat', async () => {
      await queueNoops(2);
      const worker = startNexusProcess(WORKER_MAIN, env(), ['--once']);
      expect(await worker.exited(60_000)).toBe(0);
      expect(worker.output()).toContain('Processed 1 job(s)');
      expect(await counts()).toEqual({ succeeded: 1, queued: 1 });
      const beats = await dataSource.query<Array<{ state: string; pid: number }>>('SELECT state, pid FROM worker_heartbeats WHERE pid = $1', [
        worker.child.pid,
      ]);
      expect(beats).toEqual([{ state: 'stopped', pid: worker.child.pid }]);
    });

    it('--max-jobs 3 runs three of the five queued jobs, says so and exits with 0 (metrics server on, closed too)', async () => {
      await dataSource.query('TRUNCATE jobs CASCADE');
      await queueNoops(5);
      const metricsPort = String(await freePort());
      const worker = startNexusProcess(WORKER_MAIN, { ...env(), NEXUS_WORKER_METRICS_PORT: metricsPort }, ['--max-jobs', '3', '--concurrency', '2']);
      expect(await worker.exited(60_000)).toBe(0);
      expect(worker.output()).toContain('Processed 3 job(s)');
      expect(worker.output()).toContain(`Metrics on http://127.0.0.1:${metricsPort}/metrics`);
      expect(await counts()).toEqual({ succeeded: 3, queued: 2 });
    });
  });
});
