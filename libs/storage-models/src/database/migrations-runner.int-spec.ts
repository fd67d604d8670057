import type { LoggerService } from '@nestjs/common';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { STORAGE_MIGRATIONS } from '../migrations';
import { createTestDatabase } from '../testing';
import type { TestDatabase } from '../testing';
import { buildDataSourceOptions } from './data-source-options';
import { startTemporaryPostgres } from '../embedded/temporary-postgres';
import { runMigrationsWithLock } from './migrations-runner';
import { pendingSchemaChanges } from './schema-drift';

jest.setTimeout(60_000);

// The key runMigrationsWithLock locks; a test that holds it from outside proves the run waits for it.
const MIGRATION_LOCK_KEY = 727_246_011;
// The platform's own migrations: with no domain mounted, these are all there is to run.
const MIGRATION_NAMES = STORAGE_MIGRATIONS.map((migration) => migration.name);

class RecordingLogger implements LoggerService {
  readonly messages: string[] = [];
  log(message: unknown): void {
    this.messages.push(String(message));
  }
  error(message: unknown): void {
    this.messages.push(`error: ${String(message)}`);
  }
  warn(message: unknown): void {
    this.messages.push(`warn: ${String(message)}`);
  }
}

// Timestamped after every real migration, so it always runs last.
class FailingMigration9999999999999 implements MigrationInterface {
  name = 'FailingMigration9999999999999';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE TABLE half_done (id int)');
    await queryRunner.query('SELECT * FROM no_such_table');
  }

  async down(): Promise<void> {}
}

function dataSourceFor(url: string, poolSize = 4, migrations?: (new () => MigrationInterface)[]): DataSource {
  const options = buildDataSourceOptions({
    url,
    poolSize,
    poolIdleMs: 1_000,
    statementTimeoutMs: 0,
  });
  return new DataSource(migrations ? { ...options, migrations } : options);
}

/** Fails the test instead of hanging it when a run never finishes. */
async function withinMs<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

describe('runMigrationsWithLock on PostgreSQL', () => {
  let database: TestDatabase;
  let admin: Client;
  const dataSources: DataSource[] = [];

  async function open(poolSize = 4, migrations?: (new () => MigrationInterface)[]): Promise<DataSource> {
    const dataSource = dataSourceFor(database.url, poolSize, migrations);
    await dataSource.initialize();
    dataSources.push(dataSource);
    return dataSource;
  }

  async function appliedMigrationNames(): Promise<string[]> {
    const result = await admin.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY id');
    return result.rows.map((row) => row.name);
  }

  /** Advisory locks on the migration key held by any session in this database. */
  async function heldMigrationLocks(): Promise<number> {
    const result = await admin.query<{ count: string }>(
      `SELECT count(*) FROM pg_locks
        WHERE locktype = 'advisory' AND classid = 0 AND objid = $1 AND granted
          AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      [MIGRATION_LOCK_KEY],
    );
    return Number(result.rows[0]?.count);
  }

  async function tableExists(name: string): Promise<boolean> {
    const result = await admin.query<{ found: string | null }>('SELECT to_regclass($1)::text AS found', [name]);
    return result.rows[0]?.found !== null;
  }

  beforeEach(async () => {
    database = await createTestDatabase('nexus_migrate');
    admin = new Client({ connectionString: database.url });
    await admin.connect();
  });

  afterEach(async () => {
    for (const dataSource of dataSources.splice(0)) {
      if (dataSource.isInitialized) await dataSource.destroy();
    }
    await admin.end();
    await database.drop();
  });

  it('lets two processes migrate at once: each migration applies exactly once and the lock is released', async () => {
    const [first, second] = await Promise.all([open(), open()]);
    const [firstLogger, secondLogger] = [new RecordingLogger(), new RecordingLogger()];

    const results = await Promise.all([
      runMigrationsWithLock(first, firstLogger),
      runMigrationsWithLock(second, secondLogger),
    ]);

    // One of them applied everything, the other found nothing left to do.
    expect([...results].sort((a, b) => b.length - a.length)).toEqual([MIGRATION_NAMES, []]);
    expect(await appliedMigrationNames()).toEqual(MIGRATION_NAMES);
    const counts = await admin.query<{ name: string; count: string }>(
      'SELECT name, count(*) FROM schema_migrations GROUP BY name HAVING count(*) > 1',
    );
    expect(counts.rows).toEqual([]);
    expect(await pendingSchemaChanges(first)).toEqual([]);

    const messages = [...firstLogger.messages, ...secondLogger.messages].sort();
    expect(messages).toEqual([`Applied migrations: ${MIGRATION_NAMES.join(', ')}`, 'Database schema is up to date']);

    expect(await heldMigrationLocks()).toBe(0);
    const third = await open();
    expect(await withinMs(runMigrationsWithLock(third, new RecordingLogger()), 10_000, 'third run')).toEqual([]);
    expect(await heldMigrationLocks()).toBe(0);
  });

  it('waits while another session holds the migration lock', async () => {
    const dataSource = await open();
    await admin.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);

    let finished = false;
    const run = runMigrationsWithLock(dataSource, new RecordingLogger()).finally(() => {
      finished = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 750));
    expect(finished).toBe(false);
    expect(await tableExists('schema_migrations')).toBe(false);
    expect(await tableExists('audit_log')).toBe(false);

    await admin.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    expect(await withinMs(run, 10_000, 'migration run')).toEqual(MIGRATION_NAMES);
    expect(await tableExists('audit_log')).toBe(true);
  });

  it('releases the lock when a migration fails, keeping the migrations that succeeded', async () => {
    const failing = await open(4, [...STORAGE_MIGRATIONS, FailingMigration9999999999999]);
    // TypeORM reports the failed migration on the console whatever `logging` says.
    const consoleLog = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      await expect(runMigrationsWithLock(failing, new RecordingLogger())).rejects.toThrow(/no_such_table/);
    } finally {
      consoleLog.mockRestore();
    }

    expect(await heldMigrationLocks()).toBe(0);
    // Each migration has its own transaction: the good one stays, the failed one left nothing.
    expect(await appliedMigrationNames()).toEqual(MIGRATION_NAMES);
    expect(await tableExists('half_done')).toBe(false);

    const healthy = await open();
    expect(await withinMs(runMigrationsWithLock(healthy, new RecordingLogger()), 10_000, 'retry')).toEqual([]);
  });

  it('works with a pool of a single connection (DB_POOL_SIZE=1)', async () => {
    const dataSource = await open(1);
    expect(await withinMs(runMigrationsWithLock(dataSource, new RecordingLogger()), 10_000, 'migration run')).toEqual(
      MIGRATION_NAMES,
    );
    expect(await pendingSchemaChanges(dataSource)).toEqual([]);
    expect(await heldMigrationLocks()).toBe(0);
  });
});

describe('runMigrationsWithLock on the embedded PostgreSQL server', () => {
  it('applies the migrations once, then reports the schema up to date', async () => {
    const embedded = await startTemporaryPostgres();
    const dataSource = dataSourceFor(embedded.url);
    try {
      await dataSource.initialize();
      const logger = new RecordingLogger();
      expect(await withinMs(runMigrationsWithLock(dataSource, logger), 20_000, 'first run')).toEqual(MIGRATION_NAMES);
      expect(await withinMs(runMigrationsWithLock(dataSource, logger), 20_000, 'second run')).toEqual([]);
      expect(await pendingSchemaChanges(dataSource)).toEqual([]);
      expect(logger.messages).toEqual([
        `Applied migrations: ${MIGRATION_NAMES.join(', ')}`,
        'Database schema is up to date',
      ]);
    } finally {
      if (dataSource.isInitialized) await dataSource.destroy();
      await embedded.stop();
    }
  });
});
