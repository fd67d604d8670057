import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { ConfigModule, ObservabilityModule, RedisModule, WorkerConfig } from '@nexus/core';
import { FilesystemModule } from '@nexus/filesystem';
import { JobsModule } from '@nexus/jobs';
import type { JobWorkerOptions } from '@nexus/jobs';
import { KvModule } from '@nexus/raft-kv';
import { DatabaseModule } from '@nexus/storage-models';
import { ALL_ENTITIES } from '@nexus/storage-models/all-entities';

/**
 * Composes the libraries' modules into the background worker: no HTTP. The job
 * system's worker side (BullMQ processor host, handlers, sweepers, heartbeat)
 * comes from JobsModule.forWorker(); each domain's forWorker() adds its job
 * handlers, and the worker refuses to start unless every job type has one.
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
        // Migrations run under an advisory lock: whichever of API and worker starts first applies them.
        DatabaseModule.forRoot({ entities: ALL_ENTITIES, runMigrations: true }),
        // The embedded LMDB store may be open in the API process at the same time: LMDB is multi-process.
        KvModule.forRoot(),
        JobsModule.forWorker(worker),
        FilesystemModule.forWorker(),
      ],
    };
  }
}
