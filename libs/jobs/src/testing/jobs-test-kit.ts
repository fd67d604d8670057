import { randomBytes, randomUUID } from 'node:crypto';
import { Module } from '@nestjs/common';
import type { DynamicModule, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  ConfigModule,
  DomainsModule,
  ObservabilityModule,
  RedisModule,
  WorkerConfig,
  composeDomains,
  loadConfig,
} from '@nexus/core';
import type { Principal } from '@nexus/core';
import { DatabaseModule } from '@nexus/storage-models';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { Job } from '../entities/job.entity';
import { JOBS_DOMAIN } from '../jobs.domain';
import type { JobsModuleOptions } from '../jobs.module';
import { JobsModule } from '../jobs.module';
import type { JobWorkerOptions } from '../worker/job-worker-options';

/** The job system alone: its tables and the system job types. */
export const JOBS_TEST_DOMAINS = composeDomains([JOBS_DOMAIN]);

/** Worker configuration for a test: its own database and its own BullMQ queue. */
export function testWorkerConfig(databaseUrl: string, env: Record<string, string> = {}): WorkerConfig {
  return loadConfig(WorkerConfig, {
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'silent',
    NEXUS_JOBS_QUEUE: `test-jobs-${process.pid}-${randomBytes(4).toString('hex')}`,
    // No periodic prune jobs: these tests count the jobs they submit (the prune jobs have their own tests).
    NEXUS_JOB_RETENTION_DAYS: '0',
    NEXUS_AUDIT_RETENTION_DAYS: '0',
    ...env,
  });
}

@Module({})
class JobsTestModule {
  static forRoot(config: WorkerConfig, jobs: DynamicModule): DynamicModule {
    return {
      module: JobsTestModule,
      imports: [
        ConfigModule.forRoot(config),
        ObservabilityModule,
        RedisModule.forRoot({ purpose: 'test', mode: 'queue', waitingMessage: 'test' }),
        DomainsModule.forRoot(JOBS_TEST_DOMAINS),
        DatabaseModule.forRoot({ schema: JOBS_TEST_DOMAINS, runMigrations: true }),
        jobs,
      ],
    };
  }
}

/** An application context with the job system's API side (no HTTP, no worker host). */
export async function startJobsContext(
  config: WorkerConfig,
  options: JobsModuleOptions = {},
): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(
    JobsTestModule.forRoot(config, JobsModule.forApi(options)),
    {
      logger: false,
      abortOnError: false,
    },
  );
  return app.init();
}

/** A worker context (processor host, sweepers, heartbeat) as apps/worker composes it. */
export async function startWorkerContext(
  config: WorkerConfig,
  worker: Partial<JobWorkerOptions> = {},
  options: JobsModuleOptions = {},
): Promise<INestApplicationContext> {
  const workerOptions: JobWorkerOptions = {
    workerId: `test-${process.pid}-${randomBytes(4).toString('hex')}`,
    concurrency: 4,
    jobBudget: null,
    ...worker,
  };
  const app = await NestFactory.createApplicationContext(
    JobsTestModule.forRoot(config, JobsModule.forWorker(workerOptions, options)),
    { logger: false, abortOnError: false },
  );
  return app.init();
}

export function testPrincipal(overrides: Partial<Principal> = {}): Principal {
  return {
    subjectType: 'agent',
    subjectId: `agent-${randomBytes(3).toString('hex')}`,
    zoneId: randomUUID(),
    role: 'operator',
    superuser: false,
    keyId: null,
    ...overrides,
  };
}

/** Removes a test queue's keys from Redis. */
export async function dropQueue(config: Pick<WorkerConfig, 'REDIS_URL' | 'NEXUS_JOBS_QUEUE'>): Promise<void> {
  if (!config.NEXUS_JOBS_QUEUE) return;
  const url = new URL(config.REDIS_URL);
  const queue = new Queue(config.NEXUS_JOBS_QUEUE, {
    connection: { host: url.hostname, port: Number(url.port || 6379) },
  });
  await queue.obliterate({ force: true }).catch(() => undefined);
  await queue.close();
}

export async function jobRow(app: INestApplicationContext, id: string): Promise<Job> {
  return app.get(DataSource).getRepository(Job).findOneByOrFail({ id });
}

export async function eventually(
  check: () => Promise<void>,
  timeoutMs = 15_000,
  intervalMs = 50,
): Promise<void> {
  const started = Date.now();
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() - started > timeoutMs) throw error;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}
