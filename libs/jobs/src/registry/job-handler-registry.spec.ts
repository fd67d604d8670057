import { Injectable } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { IntegrityAuditJobHandler } from '../handlers/integrity-audit.handler';
import { NoopJobHandler } from '../handlers/noop.handler';
import { JobType } from '../job-types';
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

async function boot(handlers: Array<new (...args: never[]) => unknown>): Promise<JobHandlerRegistry> {
  const module = await Test.createTestingModule({
    imports: [DiscoveryModule],
    providers: [JobHandlerRegistry, { provide: DataSource, useValue: {} }, ...handlers],
  }).compile();
  await module.init();
  return module.get(JobHandlerRegistry);
}

describe('JobHandlerRegistry (decorator discovery)', () => {
  it('finds the shipped handlers, one per job type', async () => {
    const registry = await boot([NoopJobHandler, IntegrityAuditJobHandler]);
    expect(registry.handlerFor(JobType.Noop)).toBeInstanceOf(NoopJobHandler);
    expect(registry.handlerFor(JobType.IntegrityAudit)).toBeInstanceOf(IntegrityAuditJobHandler);
  });

  it('refuses to start when a type has no handler', async () => {
    await expect(boot([NoopJobHandler])).rejects.toThrow(/system\.integrity_audit has no handler/);
  });

  it('refuses to start when a type has two handlers', async () => {
    await expect(boot([NoopJobHandler, SecondNoopHandler, IntegrityAuditJobHandler])).rejects.toThrow(
      /system\.noop has 2 handlers \(NoopJobHandler, SecondNoopHandler\)/,
    );
  });
});
