import type { DynamicModule, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Inject, Injectable, Logger, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BaseConfig, MetricsService, ReadinessRegistry } from '@nexus/core';
import { DataSource } from 'typeorm';
import type { EntitySchema, MixedList } from 'typeorm';
import { AuditLogWriter } from '../audit/audit-log.writer';
import { buildDataSourceOptions } from './data-source-options';
import type { DatabaseEndpoint, DatabaseRole } from './database-endpoint';
import { resolveDatabaseEndpoint } from './database-endpoint';
import { runMigrationsWithLock } from './migrations-runner';
import { registerPoolMetrics } from './pool-metrics';

export interface DatabaseModuleOptions {
  role: DatabaseRole;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  runMigrations: boolean;
}

const DATABASE_ENDPOINT = Symbol('nexus:database-endpoint');
const DATABASE_OPTIONS = Symbol('nexus:database-options');

@Module({})
class DatabaseEndpointModule {}

/** Runs migrations at start, reports readiness and pool gauges, and closes in order at shutdown. */
@Injectable()
class DatabaseLifecycle implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Database');

  constructor(
    private readonly dataSource: DataSource,
    @Inject(DATABASE_ENDPOINT) private readonly endpoint: DatabaseEndpoint,
    @Inject(DATABASE_OPTIONS) private readonly options: DatabaseModuleOptions,
    private readonly readiness: ReadinessRegistry,
    private readonly metrics: MetricsService,
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.options.runMigrations) await runMigrationsWithLock(this.dataSource, this.logger);
    await this.endpoint.markReady();
    this.readiness.register({
      name: 'postgres',
      check: async () => {
        await this.dataSource.query('SELECT 1');
      },
    });
    registerPoolMetrics(this.metrics.registry, this.dataSource);
  }

  /** The pool closes before the embedded server it talks to. */
  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    await this.endpoint.close();
  }
}

/**
 * The database connection for a process: a PostgreSQL server from DATABASE_URL,
 * or the embedded PGlite database (opened by the `owner`, joined by a `client`).
 */
@Module({})
export class DatabaseModule {
  static forRoot(options: DatabaseModuleOptions): DynamicModule {
    const endpointModule: DynamicModule = {
      module: DatabaseEndpointModule,
      providers: [
        {
          provide: DATABASE_ENDPOINT,
          inject: [BaseConfig],
          useFactory: (config: BaseConfig) => resolveDatabaseEndpoint(config, options.role, new Logger('Database')),
        },
      ],
      exports: [DATABASE_ENDPOINT],
    };
    return {
      module: DatabaseModule,
      global: true,
      imports: [
        endpointModule,
        TypeOrmModule.forRootAsync({
          imports: [endpointModule],
          inject: [BaseConfig, DATABASE_ENDPOINT],
          useFactory: (config: BaseConfig, endpoint: DatabaseEndpoint) => ({
            ...buildDataSourceOptions({
              url: endpoint.url,
              poolSize: config.DB_POOL_SIZE,
              poolIdleMs: config.DB_POOL_IDLE_MS,
              statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
              entities: options.entities,
            }),
            retryAttempts: 10,
            retryDelay: 3_000,
          }),
        }),
      ],
      providers: [{ provide: DATABASE_OPTIONS, useValue: options }, DatabaseLifecycle, AuditLogWriter],
      exports: [TypeOrmModule, AuditLogWriter],
    };
  }
}
