import type { LoggerService } from '@nestjs/common';
import { MigrationExecutor } from 'typeorm';
import type { DataSource } from 'typeorm';

// Arbitrary constant shared by every Nexus process: one migrator at a time.
const MIGRATION_LOCK_KEY = 727_246_011;

/**
 * Applies pending migrations. Several API processes may start together, so the
 * run is serialised by a PostgreSQL advisory lock. The migrations run on the
 * session that holds the lock, so a pool of one connection (DB_POOL_SIZE=1) is enough.
 */
export async function runMigrationsWithLock(dataSource: DataSource, logger: LoggerService): Promise<string[]> {
  const lockRunner = dataSource.createQueryRunner();
  await lockRunner.connect();
  try {
    await lockRunner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const executor = new MigrationExecutor(dataSource, lockRunner);
    executor.transaction = 'each';
    const applied = await executor.executePendingMigrations();
    const names = applied.map((migration) => migration.name);
    logger.log(names.length > 0 ? `Applied migrations: ${names.join(', ')}` : 'Database schema is up to date');
    return names;
  } finally {
    await lockRunner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lockRunner.release();
  }
}
