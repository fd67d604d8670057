/**
 * `npm run migrate`: applies pending migrations to DATABASE_URL, or to the
 * embedded database (joining the running API's server when there is one).
 */
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { BaseConfig, NestPinoLogger, createLogger, loadConfigOrExit } from '@nexus/core';
import { DataSource } from 'typeorm';
import { ALL_ENTITIES } from '../all-entities';
import { buildDataSourceOptions } from '../database/data-source-options';
import { resolveDatabaseEndpoint } from '../database/database-endpoint';
import { findEmbeddedPostgres } from '../database/embedded-postgres';
import { runMigrationsWithLock } from '../database/migrations-runner';

async function main(): Promise<void> {
  const config = loadConfigOrExit(BaseConfig);
  Logger.overrideLogger(new NestPinoLogger(createLogger('migrate', config.LOG_LEVEL)));
  const logger = new Logger('Migrate');
  const running = config.DATABASE_URL ? null : await findEmbeddedPostgres(config.NEXUS_DATA_DIR);
  const endpoint = await resolveDatabaseEndpoint(config, running ? 'client' : 'owner', logger);
  const dataSource = new DataSource(
    buildDataSourceOptions({
      url: endpoint.url,
      poolSize: 2,
      poolIdleMs: config.DB_POOL_IDLE_MS,
      statementTimeoutMs: 0,
      entities: ALL_ENTITIES,
    }),
  );
  try {
    await dataSource.initialize();
    await runMigrationsWithLock(dataSource, logger);
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await endpoint.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`Migration failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
