import { createTestDatabase } from '../testing';
import type { TestDatabase } from '../testing';
import { Column, DataSource, Entity } from 'typeorm';
import { ALL_ENTITIES } from '../all-entities';
import { AuditLogEntry } from '../audit/audit-log.entity';
import { buildDataSourceOptions } from './data-source-options';
import { startTemporaryPostgres } from '../embedded/temporary-postgres';
import { pendingSchemaChanges } from './schema-drift';

/** The audit entity as a careless change would leave it: a new column, no migration. */
@Entity('audit_log')
class AuditLogEntryWithUnmigratedColumn extends AuditLogEntry {
  @Column({ type: 'varchar', length: 40, nullable: true })
  unmigratedColumn: string | null;
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
function dataSourceFor(url: string, entities: Function[]): DataSource {
  return new DataSource(
    buildDataSourceOptions({ url, poolSize: 2, poolIdleMs: 1000, statementTimeoutMs: 0, entities }),
  );
}

async function migratedDrift(url: string, entities: typeof ALL_ENTITIES | [typeof AuditLogEntryWithUnmigratedColumn]) {
  const dataSource = dataSourceFor(url, entities);
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations();
    return { applied: applied.length, pending: await pendingSchemaChanges(dataSource) };
  } finally {
    await dataSource.destroy();
  }
}

describe.each([
  ['PostgreSQL server', 'postgres'],
  ['the embedded PostgreSQL server', 'embedded'],
] as const)('migrations on %s', (_label, engine) => {
  let url: string;
  let release: () => Promise<void>;

  beforeEach(async () => {
    if (engine === 'postgres') {
      const database: TestDatabase = await createTestDatabase('nexus_drift');
      url = database.url;
      release = database.drop;
    } else {
      const database = await startTemporaryPostgres();
      url = database.url;
      release = database.stop;
    }
  });

  afterEach(async () => {
    await release();
  });

  it('build a fresh database that matches the entities exactly', async () => {
    const result = await migratedDrift(url, ALL_ENTITIES);
    expect(result.applied).toBeGreaterThan(0);
    expect(result.pending).toEqual([]);
  });

  it('report drift when an entity gains a column without a migration', async () => {
    const result = await migratedDrift(url, [AuditLogEntryWithUnmigratedColumn]);
    expect(result.pending).toEqual([expect.stringMatching(/ALTER TABLE "audit_log" ADD "unmigrated_column"/)]);
  });

  it('are idempotent: a second run applies nothing', async () => {
    await migratedDrift(url, ALL_ENTITIES);
    const second = await migratedDrift(url, ALL_ENTITIES);
    expect(second).toEqual({ applied: 0, pending: [] });
  });
});
