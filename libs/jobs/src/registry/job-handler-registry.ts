import type { OnModuleInit } from '@nestjs/common';
import { Injectable, Logger } from '@nestjs/common';
import { DiscoveryService, Reflector } from '@nestjs/core';
import type { JobHandlerContract } from './job-handler';
import { JOB_HANDLER } from './job-handler';
import { JobTypes } from './job-types.registry';
import type { FoundHandler } from './resolve-handlers';
import { resolveHandlers } from './resolve-handlers';

/** Finds every @JobHandler provider at start; the worker refuses to start unless each declared job type has exactly one. */
@Injectable()
export class JobHandlerRegistry implements OnModuleInit {
  private readonly logger = new Logger('JobHandlers');
  private handlers = new Map<string, JobHandlerContract>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly reflector: Reflector,
    private readonly jobTypes: JobTypes,
  ) {}

  onModuleInit(): void {
    const found: Array<FoundHandler<JobHandlerContract>> = [];
    for (const wrapper of this.discovery.getProviders()) {
      const instance: unknown = wrapper.instance;
      const metatype = wrapper.metatype;
      if (!instance || !metatype) continue;
      const type = this.reflector.get<string | undefined>(JOB_HANDLER, metatype);
      if (type === undefined) continue;
      found.push({ type, name: metatype.name, handler: instance as JobHandlerContract });
    }
    this.handlers = resolveHandlers(this.jobTypes.names(), found);
    this.logger.log(`Job handlers registered: ${[...this.handlers.keys()].join(', ')}`);
  }

  handlerFor(type: string): JobHandlerContract | undefined {
    return this.handlers.get(type);
  }
}
