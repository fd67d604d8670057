import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { WorkerConfig, loadConfig } from '@nexus/core';
import { PRUNE_EVENTS_JOB } from '@nexus/events';
import { FS_GC_JOB, FS_PRUNE_OPERATION_LOG_JOB, FS_RECONCILE_JOB } from '@nexus/filesystem';
import { PRUNE_AUDIT_LOG_JOB, PRUNE_JOBS_JOB, SYSTEM_ZONE_ID } from '@nexus/jobs';
import { dropQueue, eventually } from '@nexus/jobs/testing';
import { buildDataSourceOptions, runMigrationsWithLock } from '@nexus/storage-models';
import { PRUNE_DELIVERIES_JOB } from '@nexus/subscriptions';
import { createTestDatabase } from '@nexus/storage-models/testing';
import type { TestDatabase } from '@nexus/storage-models/testing';
import { DataSource } from 'typeorm';
import { WORKER_DOMAINS } from './domains';
import { WorkerModule } from './worker.module';

describe('WorkerModule', () => {
  let database: TestDatabase;
  let dataDir: string;
  let dataSource: DataSource;
  let config: WorkerConfig;
  const workers: INestApplicationContext[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('nexus_worker_module');
    dataDir = await mkdtemp(join(tmpdir(), 'nexus-worker-module-'));
    dataSource = new DataSource(
      buildDataSourceOptions({
        url: database.url,
        poolSize: 2,
        poolIdleMs: 1000,
        statementTimeoutMs: 0,
        schema: WORKER_DOMAINS,
      }),
    );
    await dataSource.initialize();
    await runMigrationsWithLock(dataSource, new Logger('test'));
    config = loadConfig(WorkerConfig, {
      DATABASE_URL: database.url,
      NEXUS_DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      NEXUS_JOBS_QUEUE: `test-worker-module-${randomBytes(4).toString('hex')}`,
      NEXUS_FS_RECONCILE_INTERVAL_MS: '1000',
    });
  });

  afterAll(async () => {
    for (const worker of workers) await worker.close();
    await dataSource?.destroy();
    if (config) await dropQueue(config);
    await database?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  async function startWorker(): Promise<INestApplicationContext> {
    const workerId = `test-${randomBytes(4).toString('hex')}`;
    const app = await NestFactory.createApplicationContext(
      WorkerModule.forRoot(config, { workerId, concurrency: 2, jobBudget: null }),
      {
        logger: false,
        abortOnError: false,
      },
    );
    workers.push(await app.init());
    return app;
  }

  it('starts with a handler for every job type, and two workers schedule one maintenance job per interval and run them', async () => {
    // Starting at all proves the registry found exactly one handler for every job type WORKER_DOMAINS declares.
    await startWorker();
    await startWorker();

    await eventually(async () => {
      const done = await dataSource.query<Array<{ type: string }>>(
        `SELECT DISTINCT type FROM jobs WHERE zone_id = $1 AND status = 'succeeded' ORDER BY type`,
        [SYSTEM_ZONE_ID],
      );
      expect(done.map((row) => row.type)).toEqual([
        PRUNE_EVENTS_JOB.type,
        FS_GC_JOB.type,
        FS_PRUNE_OPERATION_LOG_JOB.type,
        FS_RECONCILE_JOB.type,
        PRUNE_DELIVERIES_JOB.type,
        PRUNE_AUDIT_LOG_JOB.type,
        PRUNE_JOBS_JOB.type,
      ]);
    }, 20_000);
    const perInterval = await dataSource.query<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM jobs WHERE zone_id = $1 GROUP BY idempotency_key`,
      [SYSTEM_ZONE_ID],
    );
    expect(perInterval.every((row) => row.n === 1)).toBe(true);
    const failed = await dataSource.query<unknown[]>(
      `SELECT type, last_error FROM jobs WHERE status = 'failed'`,
    );
    expect(failed).toEqual([]);
  });
});
