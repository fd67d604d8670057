import type { DynamicModule, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Injectable, Logger, Module } from '@nestjs/common';
import { BaseConfig, ReadinessRegistry } from '@nexus/core';
import { createKvStore, embeddedKvPath } from './kv.factory';
import { KvStore } from './kv-store';

/** Registers the `kv` readiness check and closes the store when the application shuts down. */
@Injectable()
class KvLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    private readonly store: KvStore,
    private readonly readiness: ReadinessRegistry,
  ) {}

  onModuleInit(): void {
    this.readiness.register({ name: 'kv', check: () => this.store.ping() });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}

/**
 * Provides the process's KvStore (inject it by the `KvStore` class) from
 * BaseConfig: the embedded LMDB store in NEXUS_DATA_DIR/kv, or etcd. Needs
 * core's ConfigModule and ObservabilityModule.
 */
@Module({})
export class KvModule {
  static forRoot(): DynamicModule {
    return {
      module: KvModule,
      global: true,
      providers: [
        {
          provide: KvStore,
          inject: [BaseConfig],
          useFactory: (config: BaseConfig) => {
            const where =
              config.NEXUS_KV === 'etcd'
                ? (config.NEXUS_ETCD_ENDPOINTS ?? []).join(',')
                : embeddedKvPath(config.NEXUS_DATA_DIR);
            new Logger('KV').log(`${config.NEXUS_KV} store at ${where}`);
            return createKvStore(config);
          },
        },
        KvLifecycle,
      ],
      exports: [KvStore],
    };
  }
}
