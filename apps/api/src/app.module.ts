import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { AuthModule } from '@nexus/auth';
import { ApiConfig, ConfigModule, ObservabilityModule, RedisModule } from '@nexus/core';
import { FilesystemModule } from '@nexus/filesystem';
import { JobsModule } from '@nexus/jobs';
import { KvModule } from '@nexus/raft-kv';
import { RebacApiModule } from '@nexus/rebac';
import { DatabaseModule } from '@nexus/storage-models';
import { ALL_ENTITIES } from '@nexus/storage-models/all-entities';
import { HealthController } from './health/health.controller';

/** Composes the libraries' modules into the HTTP API. No business logic lives here. */
@Module({})
export class AppModule {
  static forRoot(config: ApiConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        ObservabilityModule,
        RedisModule.forRoot({
          purpose: 'api',
          mode: 'fail-fast',
          waitingMessage: 'the API keeps serving; background jobs wait for Redis',
        }),
        DatabaseModule.forRoot({
          entities: ALL_ENTITIES,
          runMigrations: !config.NEXUS_SKIP_MIGRATIONS,
        }),
        KvModule.forRoot(),
        AuthModule.forRoot({ bootstrap: true }),
        JobsModule.forApi(),
        RebacApiModule.forRoot(),
        FilesystemModule.forApi(),
      ],
      controllers: [HealthController],
    };
  }
}
