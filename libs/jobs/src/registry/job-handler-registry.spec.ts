import { Injectable } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { WorkerConfig } from '@nexus/core';
import { DataSource } from 'typeorm';
import { IntegrityAuditJobHandler } from '../handlers/integrity-audit.handler';
import { NoopJobHandler } from '../handlers/noop.handler';
import { PruneJobsHandler } from '../handlers/prune-jobs.handler';
import { JobClock, SystemJobClock } from '../state/clock';
import { JobType, SYSTEM_JOB_TYPES } from '../job-types';
import { JOB_WORKER_OPTIONS } from '../worker/job-worker-options';
import type { JobWorkerOptions } from '../worker/job-worker-options';
import type { JobOutcome } from './job-handler';
import { JobHandler } from './job-handler';
import { JobHandlerRegistry } from './job-handler-registry';

@Injectable()
@JobHandler(JobType.Noop)
class SecondNoopHandler {
  async handle(): Promise<JobOutcome> {
    return { status: 'succeeded' };
  }
}

async function boot(
  handlers: Array<new (...args: never[]) => unknown>,
  /** The types the worker serves; null: no worker options at all (every JobType). */
  handledTypes: readonly JobType[] | null = SYSTEM_JOB_TYPES,
): Promise<JobHandlerRegistry> {
  const options: Partial<JobWorkerOptions> = { handledTypes: handledTypes ?? undefined };
  const module = await Test.createTestingModule({
    imports: [DiscoveryModule],
    providers: [
      JobHandlerRegistry,
      { provide: DataSource, useValue: {} },
      { provide: WorkerConfig, useValue: {} },
      { provide: JobClock, useValue: new SystemJobClock() },
      ...(handledTypes ? [{ provide: JOB_WORKER_OPTIONS, useValue: options }] : []),
      ...handlers,
    ],
  }).compile();
  await module.init();
  return module.get(JobHandlerRegistry);
}

const SYSTEM_HANDLERS = [NoopJobHandler, IntegrityAuditJobHandler, PruneJobsHandler];

describe('JobHandlerRegistry (decorator discovery)', () => {
  it('finds the shipped handlers, one per job type', async () => {
    const registry = await boot(SYSTEM_HANDLERS);
    expect(registry.handlerFor(JobType.Noop)).toBeInstanceOf(NoopJobHandler);
    expect(registry.handlerFor(JobType.IntegrityAudit)).toBeInstanceOf(IntegrityAuditJobHandler);
    expect(registry.handlerFor(JobType.PruneJobs)).toBeInstanceOf(PruneJobsHandler);
  });

  it('refuses to start when a type has no handler', async () => {
    await expect(boot([NoopJobHandler])).rejects.toThrow(/system\.integrity_audit has no handler/);
  });

  it('by default serves every job type, so the system handlers alone are not enough', async () => {
    await expect(boot(SYSTEM_HANDLERS, null)).rejects.toThrow(/filesystem\.gc has no handler/);
  });

  it('refuses a handler of a type the worker does not serve', async () => {
    await expect(boot([NoopJobHandler, IntegrityAuditJobHandler], [JobType.Noop])).rejects.toThrow(
      /IntegrityAuditJobHandler handles unknown job type system\.integrity_audit/,
    );
  });

  it('refuses to start when a type has two handlers', async () => {
    await expect(boot([...SYSTEM_HANDLERS, SecondNoopHandler])).rejects.toThrow(
      /system\.noop has 2 handlers \(NoopJobHandler, SecondNoopHandler\)/,
    );
  });
});
