import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { ConfigModule, DomainsModule, ObservabilityModule, RedisModule, WorkerConfig } from '@nexus/core';
import type { ComposedDomains } from '@nexus/core';
import { JobsModule } from '@nexus/jobs';
import type { JobWorkerOptions } from '@nexus/jobs';
import { KvModule } from '@nexus/raft-kv';
import { DatabaseModule } from '@nexus/storage-models';
import { WORKER_DOMAINS } from './domains';

/**
 * Composes the libraries' modules into the background worker: no HTTP. The job
 * system's worker side (BullMQ processor host, handlers, sweepers, heartbeat)
 * comes from JobsModule.forWorker(); each domain's worker module (domains.ts)
 * adds its job handlers, and the worker refuses to start unless every declared
 * job type has exactly one.
 */
@Module({})
export class WorkerModule {
  /** `domains`: the worker's list (domains.ts); a test app passes its own set. */
  static forRoot(
    config: WorkerConfig,
    worker: JobWorkerOptions,
    domains: ComposedDomains = WORKER_DOMAINS,
  ): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(config),
        ObservabilityModule,
        RedisModule.forRoot({
          purpose: 'worker',
          mode: 'queue',
          waitingMessage: 'the worker processes no jobs until Redis is back',
        }),
        // Migrations run under an advisory lock: whichever of API and worker starts first applies them.
        DomainsModule.forRoot(domains),
        DatabaseModule.forRoot({ schema: domains, runMigrations: true }),
        // The embedded LMDB store may be open in the API process at the same time: LMDB is multi-process.
        KvModule.forRoot(),
        JobsModule.forWorker(worker),
        ...domains.workerModules,
      ],
    };
  }
}
