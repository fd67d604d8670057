import { randomUUID } from 'node:crypto';
import { RequestContext } from '@nexus/core';
import type { Principal } from '@nexus/core';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../database/data-source-options';
import { createTestDatabase } from '../testing';
import type { TestDatabase } from '../testing';
import { AuditLogEntry } from './audit-log.entity';
import { AuditLogWriter } from './audit-log.writer';

const zoneA = randomUUID();
const zoneB = randomUUID();

const principal: Principal = {
  subjectType: 'agent',
  subjectId: 'agent-7',
  zoneId: zoneA,
  role: 'editor',
  superuser: false,
  keyId: null,
};

describe('AuditLogWriter on PostgreSQL', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let writer: AuditLogWriter;

  beforeAll(async () => {
    database = await createTestDatabase('nexus_audit');
    dataSource = new DataSource(
      buildDataSourceOptions({
        url: database.url,
        poolSize: 4,
        poolIdleMs: 1_000,
        statementTimeoutMs: 10_000,
      }),
    );
    await dataSource.initialize();
    await dataSource.runMigrations();
    writer = new AuditLogWriter(dataSource);
  });

  afterAll(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    await database?.drop();
  });

  /** The row as PostgreSQL stores it, read back without the entity layer. */
  async function rawRow(id: string): Promise<Record<string, unknown> | undefined> {
    const rows: Record<string, unknown>[] = await dataSource.query('SELECT * FROM audit_log WHERE id = $1', [id]);
    return rows[0];
  }

  async function countAction(action: string): Promise<number> {
    const rows: { count: string }[] = await dataSource.query('SELECT count(*) FROM audit_log WHERE action = $1', [
      action,
    ]);
    return Number(rows[0]?.count);
  }

  it('maps the entity to snake_case names in the audit_log table', () => {
    const metadata = dataSource.getMetadata(AuditLogEntry);
    expect(metadata.tableName).toBe('audit_log');
    expect(metadata.columns.map((column) => column.databaseName).sort()).toEqual(
      [
        'action',
        'actor_id',
        'actor_type',
        'details',
        'id',
        'occurred_at',
        'outcome',
        'request_id',
        'resource_id',
        'resource_type',
        'zone_id',
      ].sort(),
    );
  });

  it('fills actor, zone and request id from the request context', async () => {
    const requestId = `req-${randomUUID()}`;
    const entry = await RequestContext.run({ requestId, principal }, () =>
      writer.write({ action: 'file.write', outcome: 'success', resource: { type: 'file', id: '/docs/a.md' } }),
    );

    expect(entry.id).toMatch(/^[0-9a-f-]{36}$/);
    const row = await rawRow(entry.id);
    expect(row).toMatchObject({
      action: 'file.write',
      outcome: 'success',
      zone_id: zoneA,
      actor_type: 'agent',
      actor_id: 'agent-7',
      request_id: requestId,
      resource_type: 'file',
      resource_id: '/docs/a.md',
      details: {},
    });
    expect(row?.occurred_at).toBeInstanceOf(Date);
    expect(Math.abs((row?.occurred_at as Date).getTime() - Date.now())).toBeLessThan(60_000);
  });

  it('takes the request id but no actor or zone from a context that is not authenticated yet', async () => {
    const requestId = `req-${randomUUID()}`;
    const entry = await RequestContext.run({ requestId }, () =>
      writer.write({ action: 'auth.failure', outcome: 'failure' }),
    );
    expect(await rawRow(entry.id)).toMatchObject({
      zone_id: null,
      actor_type: null,
      actor_id: null,
      request_id: requestId,
    });
  });

  it('writes nulls outside any request (boot, background work)', async () => {
    const entry = await writer.write({ action: 'system.boot', outcome: 'success' });
    expect(await rawRow(entry.id)).toMatchObject({
      action: 'system.boot',
      zone_id: null,
      actor_type: null,
      actor_id: null,
      request_id: null,
      resource_type: null,
      resource_id: null,
    });
  });

  it('lets explicit actor and zone override the request context', async () => {
    const requestId = `req-${randomUUID()}`;
    const entry = await RequestContext.run({ requestId, principal }, () =>
      writer.write({
        action: 'job.lease.recovered',
        outcome: 'success',
        zoneId: zoneB,
        actor: { type: 'service', id: 'sweeper' },
      }),
    );
    expect(await rawRow(entry.id)).toMatchObject({
      zone_id: zoneB,
      actor_type: 'service',
      actor_id: 'sweeper',
      request_id: requestId,
    });
  });

  it('honours an explicit null zone and null actor even inside an authenticated request', async () => {
    const entry = await RequestContext.run({ requestId: 'req-null', principal }, () =>
      writer.write({ action: 'system.settings.changed', outcome: 'success', zoneId: null, actor: null }),
    );
    expect(await rawRow(entry.id)).toMatchObject({
      zone_id: null,
      actor_type: null,
      actor_id: null,
      request_id: 'req-null',
    });
  });

  it('round-trips details through jsonb', async () => {
    const details = {
      reason: 'key revoked',
      attempts: 3,
      ratio: 0.25,
      ok: false,
      nothing: null,
      tags: ['a', 'b', 'ü', '日本'],
      nested: { deeper: { path: '/a/b', sizes: [1, 2, 3] } },
      quote: `it's "quoted" \\ back`,
    };
    const entry = await writer.write({ action: 'auth.key.revoked', outcome: 'success', details });

    const loaded = await dataSource.getRepository(AuditLogEntry).findOneByOrFail({ id: entry.id });
    expect(loaded.details).toEqual(details);

    const typed: { type: string; deeper: string }[] = await dataSource.query(
      "SELECT jsonb_typeof(details) AS type, details #>> '{nested,deeper,path}' AS deeper FROM audit_log WHERE id = $1",
      [entry.id],
    );
    expect(typed).toEqual([{ type: 'object', deeper: '/a/b' }]);
  });

  it('commits with the transaction it is given', async () => {
    const action = `tx.commit.${randomUUID()}`;
    await dataSource.transaction(async (manager) => {
      await writer.write({ action, outcome: 'success' }, manager);
      // Not visible outside the transaction before it commits.
      const outside: { count: string }[] = await dataSource.query(
        'SELECT count(*) FROM audit_log WHERE action = $1',
        [action],
      );
      expect(Number(outside[0]?.count)).toBe(0);
    });
    expect(await countAction(action)).toBe(1);
  });

  it('rolls back with the transaction it is given', async () => {
    const action = `tx.rollback.${randomUUID()}`;
    let writtenId: string | undefined;
    await expect(
      dataSource.transaction(async (manager) => {
        const entry = await writer.write({ action, outcome: 'failure', details: { step: 1 } }, manager);
        writtenId = entry.id;
        // Inside the transaction the row exists.
        expect(await manager.countBy(AuditLogEntry, { action })).toBe(1);
        throw new Error('domain change failed');
      }),
    ).rejects.toThrow('domain change failed');

    expect(writtenId).toBeDefined();
    expect(await countAction(action)).toBe(0);
    expect(await rawRow(writtenId!)).toBeUndefined();
  });

  it('rejects a row that violates the schema and leaves nothing behind', async () => {
    await expect(writer.write({ action: 'x'.repeat(129), outcome: 'success' })).rejects.toThrow(/too long/);
    expect(await countAction('x'.repeat(129))).toBe(0);
  });
});
