import type { LoggerService } from '@nestjs/common';
import type { DataSource } from 'typeorm';

// Arbitrary constant shared by every Nexus process: one migrator at a time.
const MIGRATION_LOCK_KEY = 727_246_011;

/**
 * Applies pending migrations. Several API processes may start together, so the
 * run is serialised by a PostgreSQL advisory lock held on a separate session.
 */
export async function runMigrationsWithLock(dataSource: DataSource, logger: LoggerService): Promise<string[]> {
  const lockRunner = dataSource.createQueryRunner();
  await lockRunner.connect();
  try {
    await lockRunner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    const names = applied.map((migration) => migration.name);
    logger.log(names.length > 0 ? `Applied migrations: ${names.join(', ')}` : 'Database schema is up to date');
    return names;
  } finally {
    await lockRunner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lockRunner.release();
  }
}
