import type { OnModuleInit } from '@nestjs/common';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { DiscoveryService, Reflector } from '@nestjs/core';
import { JOB_TYPES } from '../job-types';
import type { JobType } from '../job-types';
import { JOB_WORKER_OPTIONS } from '../worker/job-worker-options';
import type { JobWorkerOptions } from '../worker/job-worker-options';
import type { JobHandlerContract } from './job-handler';
import { JOB_HANDLER } from './job-handler';
import type { FoundHandler } from './resolve-handlers';
import { resolveHandlers } from './resolve-handlers';

/** Finds every @JobHandler provider at start; the worker refuses to start unless each type it serves has exactly one. */
@Injectable()
export class JobHandlerRegistry implements OnModuleInit {
  private readonly logger = new Logger('JobHandlers');
  private handlers = new Map<JobType, JobHandlerContract>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly reflector: Reflector,
    @Optional() @Inject(JOB_WORKER_OPTIONS) private readonly options?: JobWorkerOptions,
  ) {}

  onModuleInit(): void {
    const found: Array<FoundHandler<JobHandlerContract>> = [];
    for (const wrapper of this.discovery.getProviders()) {
      const instance: unknown = wrapper.instance;
      const metatype = wrapper.metatype;
      if (!instance || !metatype) continue;
      const type = this.reflector.get<JobType | undefined>(JOB_HANDLER, metatype);
      if (type === undefined) continue;
      found.push({ type, name: metatype.name, handler: instance as JobHandlerContract });
    }
    this.handlers = resolveHandlers(this.options?.handledTypes ?? JOB_TYPES, found);
    this.logger.log(`Job handlers registered: ${[...this.handlers.keys()].join(', ')}`);
  }

  handlerFor(type: JobType): JobHandlerContract | undefined {
    return this.handlers.get(type);
  }
}
