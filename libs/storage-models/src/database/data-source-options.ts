import type { DataSourceOptions } from 'typeorm';
import { STORAGE_ENTITIES } from '../storage-entities';
import { STORAGE_MIGRATIONS } from '../migrations';
import { SnakeNamingStrategy } from './snake-naming.strategy';

export interface DatabaseConnectionSettings {
  url: string;
  poolSize: number;
  poolIdleMs: number;
  statementTimeoutMs: number;
  /** The mounted domains' entities and migrations (ComposedDomains); the platform's own are always added. */
  schema?: DatabaseSchema;
}

/** Entity and migration classes of the domains a process mounts. */
export interface DatabaseSchema {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  readonly entities: readonly Function[];
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  readonly migrations: readonly Function[];
}

/**
 * TypeORM options shared by the apps, the migrate CLI and the tests: PostgreSQL
 * over `pg`, snake_case names, explicit migrations, never `synchronize`.
 * gen_random_uuid() is built in (PostgreSQL 13+), so no extension is installed.
 * JIT compilation is off: the permission evaluator's recursive reads are
 * estimated far above their real cost, and compiling one took 400 ms for a
 * statement that runs in 5.
 */
export function buildDataSourceOptions(settings: DatabaseConnectionSettings): DataSourceOptions {
  return {
    type: 'postgres',
    url: settings.url,
    entities: [...STORAGE_ENTITIES, ...(settings.schema?.entities ?? [])],
    migrations: [...STORAGE_MIGRATIONS, ...(settings.schema?.migrations ?? [])],
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    migrationsRun: false,
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    logging: false,
    extra: {
      max: settings.poolSize,
      idleTimeoutMillis: settings.poolIdleMs,
      statement_timeout: settings.statementTimeoutMs,
      application_name: 'nexus',
      options: '-c jit=off',
    },
  };
}
