import {
  STORAGE_MIGRATIONS,
  buildDataSourceOptions,
  pendingSchemaChanges,
  startTemporaryPostgres,
} from '@nexus/storage-models';
import { createTestDatabase } from '@nexus/storage-models/testing';
import { DataSource } from 'typeorm';
import { API_DOMAINS } from './domains';

jest.setTimeout(120_000);

/** Migrates the database at `url` with every domain the API mounts; returns what ran and what is still missing. */
async function migratedDrift(url: string): Promise<{ applied: number; pending: string[]; tables: string[] }> {
  const dataSource = new DataSource(
    buildDataSourceOptions({
      url,
      poolSize: 2,
      poolIdleMs: 1000,
      statementTimeoutMs: 0,
      schema: API_DOMAINS,
    }),
  );
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations();
    const rows = await dataSource.query<Array<{ tablename: string }>>(
      `SELECT tablename FROM pg_tables WHERE schemaname = 'public'`,
    );
    return {
      applied: applied.length,
      pending: await pendingSchemaChanges(dataSource),
      tables: rows.map((row) => row.tablename),
    };
  } finally {
    await dataSource.destroy();
  }
}

/**
 * The migrations every domain declares build exactly the schema the entities
 * every domain declares describe — on a fresh database of each kind Nexus runs on.
 * (The API mounts every domain, so its list is the whole schema.)
 */
describe.each([
  ['PostgreSQL server', 'postgres'],
  ['the embedded PostgreSQL server', 'embedded'],
] as const)('the domains’ migrations on %s', (_label, engine) => {
  let url: string;
  let release: () => Promise<void>;

  beforeEach(async () => {
    if (engine === 'postgres') {
      const database = await createTestDatabase('nexus_drift');
      url = database.url;
      release = database.drop;
    } else {
      const server = await startTemporaryPostgres();
      url = server.url;
      release = () => server.stop();
    }
  });

  afterEach(async () => {
    await release();
  });

  it('build a fresh database that matches every entity exactly, with a table for each', async () => {
    const result = await migratedDrift(url);
    expect(result.applied).toBe(API_DOMAINS.migrations.length + STORAGE_MIGRATIONS.length);
    expect(result.pending).toEqual([]);
    for (const domain of API_DOMAINS.domains) expect(domain.entities.length).toBeGreaterThan(0);
    expect(result.tables).toEqual(
      expect.arrayContaining(['audit_log', 'outbox_events', 'jobs', 'file_paths', 'zones']),
    );
    expect(result.tables).not.toContain('file_events');
  });

  it('are idempotent: a second run applies nothing', async () => {
    await migratedDrift(url);
    expect(await migratedDrift(url)).toMatchObject({ applied: 0, pending: [] });
  });
});
