import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { ConfigModule, ObservabilityModule, RedisModule, WorkerConfig } from '@nexus/core';
import { JobsModule } from '@nexus/jobs';
import type { JobWorkerOptions } from '@nexus/jobs';
import { DatabaseModule } from '@nexus/storage-models';
import { ALL_ENTITIES } from '@nexus/storage-models/all-entities';

/**
 * Composes the libraries' modules into the background worker: no HTTP. The job
 * system's worker side (BullMQ processor host, handlers, sweepers, heartbeat)
 * comes from JobsModule.forWorker().
 */
@Module({})
export class WorkerModule {
  static forRoot(config: WorkerConfig, worker: JobWorkerOptions): DynamicModule {
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
        // The API owns the embedded database and runs migrations; the worker joins it.
        DatabaseModule.forRoot({ role: 'client', entities: ALL_ENTITIES, runMigrations: false }),
        JobsModule.forWorker(worker),
      ],
    };
  }
}
