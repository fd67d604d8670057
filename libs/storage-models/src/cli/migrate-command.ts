import { Logger } from '@nestjs/common';
import { BaseConfig, NestPinoLogger, createLogger, loadConfigOrExit } from '@nexus/core';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../database/data-source-options';
import type { DatabaseSchema } from '../database/data-source-options';
import { runMigrationsWithLock } from '../database/migrations-runner';
import { runningEmbeddedPostgresUrl, startEmbeddedPostgres } from '../embedded/embedded-postgres-server';

const USAGE = `Usage: npm run migrate

Applies pending migrations to DATABASE_URL, or without it to the embedded
PostgreSQL server in NEXUS_DATA_DIR (the one a running \`npm start\` serves, or one
started for this run).
`;

/**
 * `npm run migrate`: applies the pending migrations of the platform and of the
 * given domains to DATABASE_URL or, without it, to the embedded PostgreSQL server
 * in NEXUS_DATA_DIR (the running one of an `npm start`, or one started for the
 * run and stopped after it). The app that mounts the domains calls this.
 */
export async function runMigrateCommand(schema: DatabaseSchema): Promise<void> {
  try {
    await migrate(schema);
  } catch (error: unknown) {
    process.stderr.write(
      `Migration failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  }
}

async function migrate(schema: DatabaseSchema): Promise<void> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    process.stdout.write(USAGE);
    return;
  }
  const config = loadConfigOrExit(BaseConfig);
  Logger.overrideLogger(new NestPinoLogger(createLogger('migrate', config.LOG_LEVEL)));
  const logger = new Logger('Migrate');
  const running = config.DATABASE_URL ?? (await runningEmbeddedPostgresUrl(config.NEXUS_DATA_DIR));
  const ownServer = running
    ? null
    : await startEmbeddedPostgres({
        dataDir: config.NEXUS_DATA_DIR,
        port: config.NEXUS_EMBEDDED_DB_PORT,
        maxConnections: config.NEXUS_EMBEDDED_DB_MAX_CONNECTIONS,
        logger,
      });
  const url = ownServer?.url ?? running ?? '';
  const dataSource = new DataSource(
    buildDataSourceOptions({
      url,
      poolSize: 2,
      poolIdleMs: config.DB_POOL_IDLE_MS,
      statementTimeoutMs: 0,
      schema,
    }),
  );
  try {
    await dataSource.initialize();
    await runMigrationsWithLock(dataSource, logger);
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await ownServer?.stop();
  }
}
