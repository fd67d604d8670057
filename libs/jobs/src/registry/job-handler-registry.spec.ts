import { Injectable } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { DOMAINS, WorkerConfig, composeDomains, defineDomain, defineJobType } from '@nexus/core';
import type { DomainDefinition } from '@nexus/core';
import { IsOptional, IsString } from 'class-validator';
import { DataSource } from 'typeorm';
import { JOBS_DOMAIN } from '../jobs.domain';
import { IntegrityAuditJobHandler } from '../jobs/integrity-audit.handler';
import { NoopJobHandler } from '../jobs/noop.handler';
import { PruneAuditLogHandler } from '../jobs/prune-audit-log.handler';
import { PruneJobsHandler } from '../jobs/prune-jobs.handler';
import { INTEGRITY_AUDIT_JOB, NOOP_JOB, PRUNE_AUDIT_LOG_JOB, PRUNE_JOBS_JOB } from '../jobs/system-job-types';
import { JobClock, SystemJobClock } from '../state/clock';
import type { JobOutcome } from './job-handler';
import { JobHandler } from './job-handler';
import { JobHandlerRegistry } from './job-handler-registry';
import { JobTypes } from './job-types.registry';

class ExtraPayload {
  @IsOptional()
  @IsString()
  note?: string;
}

/** A job type of a domain other than the job system's own. */
const EXTRA_JOB = defineJobType({
  type: 'extra.work',
  payload: ExtraPayload,
  summary: 'A test domain’s job',
});

const EXTRA_DOMAIN = defineDomain({ name: 'extra', entities: [], migrations: [], jobTypes: [EXTRA_JOB] });

@Injectable()
@JobHandler(NOOP_JOB)
class SecondNoopHandler {
  async handle(): Promise<JobOutcome> {
    return { status: 'succeeded' };
  }
}

@Injectable()
@JobHandler(EXTRA_JOB)
class ExtraJobHandler {
  async handle(): Promise<JobOutcome> {
    return { status: 'succeeded' };
  }
}

async function boot(
  handlers: Array<new (...args: never[]) => unknown>,
  /** The domains the process mounts: their declared job types are the ones that need a handler. */
  domains: readonly DomainDefinition[] = [JOBS_DOMAIN],
): Promise<JobHandlerRegistry> {
  const module = await Test.createTestingModule({
    imports: [DiscoveryModule],
    providers: [
      JobHandlerRegistry,
      JobTypes,
      { provide: DOMAINS, useValue: composeDomains(domains) },
      { provide: DataSource, useValue: {} },
      { provide: WorkerConfig, useValue: {} },
      { provide: JobClock, useValue: new SystemJobClock() },
      ...handlers,
    ],
  }).compile();
  await module.init();
  return module.get(JobHandlerRegistry);
}

const SYSTEM_HANDLERS = [NoopJobHandler, IntegrityAuditJobHandler, PruneJobsHandler, PruneAuditLogHandler];

describe('JobHandlerRegistry (decorator discovery)', () => {
  it('finds the shipped handlers, one per job type', async () => {
    const registry = await boot(SYSTEM_HANDLERS);
    expect(registry.handlerFor(NOOP_JOB.type)).toBeInstanceOf(NoopJobHandler);
    expect(registry.handlerFor(INTEGRITY_AUDIT_JOB.type)).toBeInstanceOf(IntegrityAuditJobHandler);
    expect(registry.handlerFor(PRUNE_JOBS_JOB.type)).toBeInstanceOf(PruneJobsHandler);
    expect(registry.handlerFor(PRUNE_AUDIT_LOG_JOB.type)).toBeInstanceOf(PruneAuditLogHandler);
  });

  it('refuses to start when a type has no handler', async () => {
    await expect(boot([NoopJobHandler])).rejects.toThrow(/system\.integrity_audit has no handler/);
  });

  it('serves every type the composed domains declare, so the system handlers alone are not enough', async () => {
    await expect(boot(SYSTEM_HANDLERS, [JOBS_DOMAIN, EXTRA_DOMAIN])).rejects.toThrow(
      /extra\.work has no handler/,
    );
  });

  it('registers the handler of another mounted domain’s type', async () => {
    const registry = await boot([...SYSTEM_HANDLERS, ExtraJobHandler], [JOBS_DOMAIN, EXTRA_DOMAIN]);
    expect(registry.handlerFor(EXTRA_JOB.type)).toBeInstanceOf(ExtraJobHandler);
    expect(registry.handlerFor(NOOP_JOB.type)).toBeInstanceOf(NoopJobHandler);
  });

  it('refuses a handler of a type no mounted domain declares', async () => {
    await expect(boot([...SYSTEM_HANDLERS, ExtraJobHandler])).rejects.toThrow(
      /ExtraJobHandler handles unknown job type extra\.work/,
    );
  });

  it('refuses to start when a type has two handlers', async () => {
    await expect(boot([...SYSTEM_HANDLERS, SecondNoopHandler])).rejects.toThrow(
      /system\.noop has 2 handlers \(NoopJobHandler, SecondNoopHandler\)/,
    );
  });
});
