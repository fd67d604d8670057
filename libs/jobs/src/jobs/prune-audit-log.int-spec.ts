import type { INestApplicationContext } from '@nestjs/common';
import type { WorkerConfig } from '@nexus/core';
import { createTestDatabase } from '@nexus/storage-models/testing';
import type { TestDatabase } from '@nexus/storage-models/testing';
import { DataSource } from 'typeorm';
import { ManualJobClock } from '../state/clock';
import { dropQueue, startJobsContext, testWorkerConfig } from '../testing';
import { RETENTION_BATCH } from './delete-in-batches';
import { PruneAuditLogHandler } from './prune-audit-log.handler';

const NOW = new Date('2030-06-01T00:00:00.000Z');
const DAY_MS = 86_400_000;

describe('system.prune_audit_log', () => {
  let database: TestDatabase;
  let config: WorkerConfig;
  let app: INestApplicationContext;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase('nexus_jobs_prune_audit');
    config = testWorkerConfig(database.url, { NEXUS_AUDIT_RETENTION_DAYS: '30' });
    app = await startJobsContext(config);
    dataSource = app.get(DataSource);
  });

  afterAll(async () => {
    await app?.close();
    if (config) await dropQueue(config);
    await database?.drop();
  });

  beforeEach(() => dataSource.query('TRUNCATE audit_log'));

  /** `count` entries that occurred `ageDays` before NOW, half of them in no zone. */
  async function entries(ageDays: number, count = 1): Promise<string[]> {
    const rows = await dataSource.query<Array<{ id: string }>>(
      `INSERT INTO audit_log (occurred_at, zone_id, action, outcome)
       SELECT $1, CASE WHEN i % 2 = 0 THEN gen_random_uuid() END, 'test.action', 'success'
         FROM generate_series(1, $2) AS i
       RETURNING id`,
      [new Date(NOW.getTime() - ageDays * DAY_MS), count],
    );
    return rows.map((row) => row.id);
  }

  function run(payload: { olderThanDays?: number } = {}, signal = new AbortController().signal) {
    const handler = new PruneAuditLogHandler(dataSource, config, new ManualJobClock(NOW));
    return handler.handle(payload, {
      jobId: 'x',
      zoneId: 'system',
      createdBy: 'system:scheduler',
      attempt: 1,
      maxAttempts: 3,
      signal,
      progress: () => Promise.resolve(),
    });
  }

  async function remaining(): Promise<string[]> {
    const rows = await dataSource.query<Array<{ id: string }>>(`SELECT id FROM audit_log ORDER BY id`);
    return rows.map((row) => row.id);
  }

  it('deletes entries past the retention across several batches and keeps the young ones', async () => {
    await entries(31, 2 * RETENTION_BATCH + 7);
    await entries(400, 3);
    const young = [...(await entries(29, 5)), ...(await entries(0, 2))].sort();

    expect(await run()).toEqual({
      status: 'succeeded',
      result: {
        deleted: 2 * RETENTION_BATCH + 10,
        batches: 3,
        ms: expect.any(Number),
        retentionDays: 30,
        cutoff: new Date(NOW.getTime() - 30 * DAY_MS).toISOString(),
      },
    });
    expect(await remaining()).toEqual(young);
    // A re-run (at-least-once delivery) finds nothing more to delete.
    expect(await run()).toMatchObject({ result: { deleted: 0, batches: 1 } });
    expect(await remaining()).toEqual(young);
  });

  it('takes the retention from the payload when it names one', async () => {
    await entries(10, 4);
    const recent = await entries(2);
    expect(await run()).toMatchObject({ result: { deleted: 0 } });
    expect(await run({ olderThanDays: 5 })).toMatchObject({ result: { deleted: 4, retentionDays: 5 } });
    expect(await remaining()).toEqual(recent);
  });

  it('deletes nothing with a retention of 0 days (keep all)', async () => {
    await entries(5_000, 3);
    const keepAll = new PruneAuditLogHandler(
      dataSource,
      testWorkerConfig(database.url, { NEXUS_AUDIT_RETENTION_DAYS: '0' }),
      new ManualJobClock(NOW),
    );
    const signal = new AbortController().signal;
    expect(
      await keepAll.handle(
        {},
        {
          jobId: 'x',
          zoneId: 'z',
          createdBy: 'c',
          attempt: 1,
          maxAttempts: 1,
          signal,
          progress: () => Promise.resolve(),
        },
      ),
    ).toEqual({ status: 'succeeded', result: { deleted: 0, retentionDays: 0 } });
    expect(await remaining()).toHaveLength(3);
  });

  it('stops when aborted, reporting what it deleted', async () => {
    await entries(60);
    const controller = new AbortController();
    controller.abort();
    expect(await run({}, controller.signal)).toEqual({
      status: 'failed',
      error: 'aborted after deleting 0 audit log entries',
    });
    expect(await remaining()).toHaveLength(1);
  });
});
