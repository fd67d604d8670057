import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { WorkerConfig, composeDomains, loadConfig } from '@nexus/core';
import { ManualJobClock, RETENTION_BATCH } from '@nexus/jobs';
import type { JobContext } from '@nexus/jobs';
import { buildDataSourceOptions, runMigrationsWithLock } from '@nexus/storage-models';
import { createTestDatabase } from '@nexus/storage-models/testing';
import type { TestDatabase } from '@nexus/storage-models/testing';
import { DataSource } from 'typeorm';
import type { DeliveryStatus } from '../entities/webhook-delivery.entity';
import { SUBSCRIPTIONS_DOMAIN } from '../subscriptions.domain';
import { PruneDeliveriesHandler } from './prune-deliveries.handler';

const NOW = new Date('2030-06-01T00:00:00.000Z');
const DAY_MS = 86_400_000;
const SCHEMA = composeDomains([SUBSCRIPTIONS_DOMAIN]);

describe('subscriptions.prune_deliveries (PostgreSQL)', () => {
  let database: TestDatabase;
  let db: DataSource;
  let config: WorkerConfig;
  const zones = [randomUUID(), randomUUID()];
  const subscription = randomUUID();

  beforeAll(async () => {
    // The handler logs its summary through Nest's static logger; no app here turns it off.
    Logger.overrideLogger(false);
    database = await createTestDatabase('nexus_delivery_retention');
    db = new DataSource(
      buildDataSourceOptions({
        url: database.url,
        poolSize: 4,
        poolIdleMs: 1000,
        statementTimeoutMs: 0,
        schema: SCHEMA,
      }),
    );
    await db.initialize();
    await runMigrationsWithLock(db, new Logger('test'));
    config = loadConfig(WorkerConfig, { DATABASE_URL: database.url, LOG_LEVEL: 'silent' });
  });

  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  beforeEach(() => db.query('TRUNCATE webhook_deliveries'));

  /** `count` deliveries in `status` last updated `ageDays` before NOW (created a day earlier), spread over two zones. */
  async function deliveries(status: DeliveryStatus, ageDays: number, count = 1): Promise<string[]> {
    const updatedAt = new Date(NOW.getTime() - ageDays * DAY_MS);
    const rows = await db.query<Array<{ id: string }>>(
      `INSERT INTO webhook_deliveries
         (zone_id, subscription_id, message_id, event_type, body, status, created_at, updated_at)
       SELECT ($1::uuid[])[1 + i % 2], $2, 'msg_' || replace(gen_random_uuid()::text, '-', ''), 'file.written',
              '{}', $3, $4::timestamptz - interval '1 day', $4
         FROM generate_series(1, $5) AS i
       RETURNING id`,
      [zones, subscription, status, updatedAt, count],
    );
    return rows.map((row) => row.id);
  }

  async function remaining(): Promise<string[]> {
    const rows = await db.query<Array<{ id: string }>>(`SELECT id FROM webhook_deliveries ORDER BY id`);
    return rows.map((row) => row.id);
  }

  function context(signal = new AbortController().signal): JobContext {
    return {
      jobId: 'x',
      zoneId: 'system',
      createdBy: 'system:scheduler',
      attempt: 1,
      maxAttempts: 3,
      signal,
      progress: () => Promise.resolve(),
    };
  }

  /** The handler as the worker builds it: a WorkerConfig with the given environment, the clock at NOW. */
  function handler(env: Record<string, string> = {}): PruneDeliveriesHandler {
    const withEnv = loadConfig(WorkerConfig, { DATABASE_URL: database.url, LOG_LEVEL: 'silent', ...env });
    return new PruneDeliveriesHandler(db, withEnv, new ManualJobClock(NOW));
  }

  const run = (prune = handler(), payload: { olderThanDays?: number } = {}, signal?: AbortSignal) =>
    prune.handle(payload, context(signal));

  it('deletes finished deliveries past NEXUS_WEBHOOK_DELIVERY_RETENTION_DAYS, and keeps young and open ones', async () => {
    expect(config.NEXUS_WEBHOOK_DELIVERY_RETENTION_DAYS).toBe(30);
    await deliveries('succeeded', 31, 4);
    await deliveries('failed', 45, 3);
    await deliveries('skipped', 400, 2);
    const kept = [
      // Still to be delivered, however old.
      ...(await deliveries('pending', 90, 3)),
      ...(await deliveries('waiting', 90, 2)),
      // Finished, but within the retention.
      ...(await deliveries('succeeded', 29, 2)),
      ...(await deliveries('failed', 1)),
      ...(await deliveries('skipped', 0)),
    ].sort();

    expect(await run()).toEqual({
      status: 'succeeded',
      result: {
        deleted: 4 + 3 + 2,
        batches: 1,
        ms: expect.any(Number),
        retentionDays: 30,
        cutoff: new Date(NOW.getTime() - 30 * DAY_MS).toISOString(),
      },
    });
    expect(await remaining()).toEqual(kept);
    // A retried job redoes nothing: what is left is young or open.
    expect(await run()).toMatchObject({ status: 'succeeded', result: { deleted: 0, batches: 1 } });
    expect(await remaining()).toEqual(kept);
  });

  it('deletes more than a batch worth, one batch per statement', async () => {
    await deliveries('succeeded', 60, 2 * RETENTION_BATCH + 3);
    const kept = [...(await deliveries('pending', 60, 2)), ...(await deliveries('succeeded', 10))].sort();

    expect(await run()).toMatchObject({
      status: 'succeeded',
      result: { deleted: 2 * RETENTION_BATCH + 3, batches: 3 },
    });
    expect(await remaining()).toEqual(kept);
    expect(await run()).toMatchObject({ result: { deleted: 0, batches: 1 } });
  });

  it('goes by updated_at (the last attempt), not created_at', async () => {
    // Created 100 days ago, retried until 3 days ago.
    const retried = await deliveries('failed', 3);
    await db.query(`UPDATE webhook_deliveries SET created_at = $1`, [new Date(NOW.getTime() - 100 * DAY_MS)]);
    expect(await run()).toMatchObject({ result: { deleted: 0 } });
    expect(await remaining()).toEqual(retried);
  });

  it('takes the retention from the payload; 0 days in the config keeps everything', async () => {
    const old = await deliveries('succeeded', 40, 3);
    const recent = await deliveries('failed', 5);
    expect(await run(handler({ NEXUS_WEBHOOK_DELIVERY_RETENTION_DAYS: '0' }))).toEqual({
      status: 'succeeded',
      result: { deleted: 0, retentionDays: 0 },
    });
    expect(await remaining()).toEqual([...old, ...recent].sort());
    expect(await run(handler(), { olderThanDays: 4 })).toMatchObject({
      result: { deleted: 4, retentionDays: 4 },
    });
    expect(await remaining()).toEqual([]);
  });

  it('stops when aborted, reporting what it deleted', async () => {
    const old = await deliveries('succeeded', 40, 2);
    const controller = new AbortController();
    controller.abort();
    expect(await run(handler(), {}, controller.signal)).toEqual({
      status: 'failed',
      error: 'aborted after deleting 0 webhook deliveries',
    });
    expect(await remaining()).toEqual(old.sort());
  });

  it('finds old finished deliveries through the retention index', async () => {
    await deliveries('succeeded', 40, 50);
    await deliveries('pending', 40, 50);
    await db.query('ANALYZE webhook_deliveries');
    const plan = await db.transaction(async (manager) => {
      await manager.query('SET LOCAL enable_seqscan = off');
      const rows = await manager.query<Array<{ 'QUERY PLAN': string }>>(
        `EXPLAIN SELECT id FROM webhook_deliveries
          WHERE status IN ('succeeded', 'failed', 'skipped') AND updated_at < $1 LIMIT 10`,
        [NOW],
      );
      return rows.map((row) => row['QUERY PLAN']).join('\n');
    });
    const indexes = await db.query<Array<{ indexname: string }>>(
      `SELECT indexname FROM pg_indexes WHERE tablename = 'webhook_deliveries' AND indexdef LIKE '%(updated_at)%'`,
    );
    expect(indexes).toHaveLength(1);
    expect(plan).toContain(indexes[0]?.indexname);
  });
});
