import type { LoggerService } from '@nestjs/common';
import { deploymentOf } from '@nexus/core';
import type { Deployment } from '@nexus/core';
import type { DataSource } from 'typeorm';
import { runMigrationsWithLock } from './migrations-runner';
import { sqlStateOf } from './pg-errors';

const NOT_MIGRATED =
  'This database has no deployment identity yet: apply the migrations first ' +
  '(`npm run migrate`, or start the API without NEXUS_SKIP_MIGRATIONS)';

/**
 * Applies pending migrations when asked (under the advisory lock), then reads the
 * deployment id the first migration created. Everything that names Redis keys
 * waits for this, so nothing touches Redis before the schema is there.
 */
export async function migrateAndIdentify(
  dataSource: DataSource,
  runMigrations: boolean,
  logger: LoggerService,
): Promise<Deployment> {
  if (runMigrations) await runMigrationsWithLock(dataSource, logger);
  let rows: { id: string }[];
  try {
    rows = await dataSource.query<{ id: string }[]>('SELECT id FROM deployment_identity');
  } catch (error) {
    // 42P01 undefined_table: the migrations never ran here.
    if (sqlStateOf(error) === '42P01') throw new Error(NOT_MIGRATED);
    throw error;
  }
  const id = rows[0]?.id;
  if (!id) throw new Error(NOT_MIGRATED);
  logger.log(`Deployment ${id}`);
  return deploymentOf(id);
}
