import type { DataSourceOptions, MixedList, EntitySchema } from 'typeorm';
import { MIGRATIONS } from '../migrations';
import { SnakeNamingStrategy } from './snake-naming.strategy';

export interface DatabaseConnectionSettings {
  url: string;
  poolSize: number;
  poolIdleMs: number;
  statementTimeoutMs: number;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
}

/**
 * TypeORM options shared by the apps, the migrate CLI and the tests: PostgreSQL
 * over `pg`, snake_case names, explicit migrations, never `synchronize`.
 * gen_random_uuid() is built in (PostgreSQL 13+), so no extension is installed.
 */
export function buildDataSourceOptions(settings: DatabaseConnectionSettings): DataSourceOptions {
  return {
    type: 'postgres',
    url: settings.url,
    entities: settings.entities,
    migrations: MIGRATIONS,
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
    },
  };
}
