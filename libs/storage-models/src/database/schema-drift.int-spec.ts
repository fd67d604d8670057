import { createTestDatabase } from '../testing';
import type { TestDatabase } from '../testing';
import { Column, DataSource, Entity } from 'typeorm';
import { AuditLogEntry } from '../audit/audit-log.entity';
import { OutboxEvent } from '../outbox/outbox-event.entity';
import { buildDataSourceOptions } from './data-source-options';
import { startTemporaryPostgres } from '../embedded/temporary-postgres';
import { pendingSchemaChanges } from './schema-drift';

/** The audit entity as a careless change would leave it: a new column, no migration. */
@Entity('audit_log')
class AuditLogEntryWithUnmigratedColumn extends AuditLogEntry {
  @Column({ type: 'varchar', length: 40, nullable: true })
  unmigratedColumn: string | null;
}

/**
 * The platform's own tables and migrations (no domain mounted); `entities` replaces the entity list, so a
 * changed copy of a platform entity can stand in for the original.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
function dataSourceFor(url: string, entities?: Function[]): DataSource {
  const options = buildDataSourceOptions({ url, poolSize: 2, poolIdleMs: 1000, statementTimeoutMs: 0 });
  return new DataSource(entities ? { ...options, entities } : options);
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
async function migratedDrift(url: string, entities?: Function[]) {
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

  it('report drift when an entity gains a column without a migration', async () => {
    const result = await migratedDrift(url, [AuditLogEntryWithUnmigratedColumn, OutboxEvent]);
    expect(result.applied).toBeGreaterThan(0);
    expect(result.pending).toEqual([
      expect.stringMatching(/ALTER TABLE "audit_log" ADD "unmigrated_column"/),
    ]);
  });

  it('are idempotent: a second run applies nothing', async () => {
    const first = await migratedDrift(url);
    expect(first.applied).toBeGreaterThan(0);
    expect(first.pending).toEqual([]);
    const second = await migratedDrift(url);
    expect(second).toEqual({ applied: 0, pending: [] });
  });
});
