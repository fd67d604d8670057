import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { ApiConfig, ConfigModule, DomainsModule, ObservabilityModule, RedisModule } from '@nexus/core';
import type { ComposedDomains } from '@nexus/core';
import { KvModule } from '@nexus/raft-kv';
import { DatabaseModule } from '@nexus/storage-models';
import { API_DOMAINS } from './domains';
import { HealthController } from './health/health.controller';

/** Composes the platform and the domains' HTTP modules (domains.ts) into the API. No business logic lives here. */
@Module({})
export class AppModule {
  /** `domains`: the API's list (domains.ts); a test app passes its own set. */
  static forRoot(config: ApiConfig, domains: ComposedDomains = API_DOMAINS): DynamicModule {
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
        DomainsModule.forRoot(domains),
        DatabaseModule.forRoot({ schema: domains, runMigrations: !config.NEXUS_SKIP_MIGRATIONS }),
        KvModule.forRoot(),
        ...domains.apiModules,
      ],
      controllers: [HealthController],
    };
  }
}
