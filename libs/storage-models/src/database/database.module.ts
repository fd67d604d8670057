import type { DynamicModule, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Injectable, Logger, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BaseConfig, DEPLOYMENT, MetricsService, ReadinessRegistry } from '@nexus/core';
import { DataSource } from 'typeorm';
import { AuditLogWriter } from '../audit/audit-log.writer';
import { TypeOrmOutbox } from '../outbox/typeorm-outbox';
import { buildDataSourceOptions } from './data-source-options';
import type { DatabaseSchema } from './data-source-options';
import { migrateAndIdentify } from './deployment-identity';
import { registerPoolMetrics } from './pool-metrics';

export interface DatabaseModuleOptions {
  /** The mounted domains' entities and migrations: the process's ComposedDomains. */
  schema: DatabaseSchema;
  runMigrations: boolean;
}

const DATABASE_OPTIONS = Symbol('nexus:database-options');

/** API and worker are clients of a server: `npm start` hands them the embedded one's URL. */
export function databaseUrlOrThrow(config: BaseConfig): string {
  if (config.DATABASE_URL) return config.DATABASE_URL;
  throw new Error(
    'DATABASE_URL is not set: start Nexus with `npm start` (it runs the embedded PostgreSQL server and hands ' +
      'its URL to the API and the worker), or set DATABASE_URL to a PostgreSQL server',
  );
}

/** Reports readiness and pool gauges, and closes the pool at shutdown. */
@Injectable()
class DatabaseLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    private readonly dataSource: DataSource,
    private readonly readiness: ReadinessRegistry,
    private readonly metrics: MetricsService,
  ) {}

  async onModuleInit(): Promise<void> {
    this.readiness.register({
      name: 'postgres',
      check: async () => {
        await this.dataSource.query('SELECT 1');
      },
    });
    registerPoolMetrics(this.metrics.registry, this.dataSource);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}

/**
 * The database connection for a process: the PostgreSQL server at DATABASE_URL,
 * with the platform's tables plus the mounted domains' (`schema`), the audit log
 * writer and the outbox. Needs DomainsModule (the outbox checks event types).
 */
@Module({})
export class DatabaseModule {
  static forRoot(options: DatabaseModuleOptions): DynamicModule {
    return {
      module: DatabaseModule,
      global: true,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [BaseConfig],
          useFactory: (config: BaseConfig) => ({
            ...buildDataSourceOptions({
              url: databaseUrlOrThrow(config),
              poolSize: config.DB_POOL_SIZE,
              poolIdleMs: config.DB_POOL_IDLE_MS,
              statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
              schema: options.schema,
            }),
            retryAttempts: 10,
            retryDelay: 3_000,
          }),
        }),
      ],
      providers: [
        { provide: DATABASE_OPTIONS, useValue: options },
        {
          // Migrations run here, before any provider that needs the deployment (queues, Redis keys) exists.
          provide: DEPLOYMENT,
          inject: [DataSource, DATABASE_OPTIONS],
          useFactory: (dataSource: DataSource, moduleOptions: DatabaseModuleOptions) =>
            migrateAndIdentify(dataSource, moduleOptions.runMigrations, new Logger('Database')),
        },
        DatabaseLifecycle,
        AuditLogWriter,
        TypeOrmOutbox,
      ],
      exports: [TypeOrmModule, AuditLogWriter, TypeOrmOutbox, DEPLOYMENT],
    };
  }
}
