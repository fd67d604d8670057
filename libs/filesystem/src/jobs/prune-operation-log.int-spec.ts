import { randomUUID } from 'node:crypto';
import { WorkerConfig, loadConfig } from '@nexus/core';
import { ManualJobClock, RETENTION_BATCH } from '@nexus/jobs';
import { DataSource } from 'typeorm';
import { FilesystemModule } from '../filesystem.module';
import { fsJobContext, startFilesystemContext } from '../testing';
import type { FsTestContext } from '../testing';
import { FS_PRUNE_OPERATION_LOG_JOB } from './fs-job-types';
import { PruneOperationLogJobHandler } from './prune-operation-log.handler';

const NOW = new Date('2030-06-01T00:00:00.000Z');
const DAY_MS = 86_400_000;

describe('filesystem.prune_operation_log (PostgreSQL)', () => {
  let ctx: FsTestContext;
  let db: DataSource;
  const zones = [randomUUID(), randomUUID()];

  beforeAll(async () => {
    ctx = await startFilesystemContext({}, [FilesystemModule.forWorker({ schedule: false })]);
    db = ctx.app.get(DataSource);
  });

  afterAll(async () => ctx?.close());

  beforeEach(() => db.query('TRUNCATE operation_log'));

  /** `count` entries written `ageDays` before `from`, spread over two zones. */
  async function entries(ageDays: number, count = 1, from = NOW): Promise<string[]> {
    const rows = await db.query<Array<{ id: string }>>(
      `INSERT INTO operation_log (zone_id, actor, op, path, created_at)
       SELECT ($1::uuid[])[1 + i % 2], 'user:test', 'write', '/f' || i, $2
         FROM generate_series(1, $3) AS i
       RETURNING id`,
      [zones, new Date(from.getTime() - ageDays * DAY_MS), count],
    );
    return rows.map((row) => row.id);
  }

  async function remaining(): Promise<string[]> {
    const rows = await db.query<Array<{ id: string }>>(`SELECT id FROM operation_log ORDER BY id`);
    return rows.map((row) => row.id);
  }

  /** The handler as the worker builds it: a WorkerConfig with the given environment, the clock at NOW. */
  function handler(env: Record<string, string> = {}): PruneOperationLogJobHandler {
    const config = loadConfig(WorkerConfig, { DATABASE_URL: ctx.config.DATABASE_URL, ...env });
    return new PruneOperationLogJobHandler(db, config, new ManualJobClock(NOW));
  }

  const run = async (prune: PruneOperationLogJobHandler, payload: { olderThanDays?: number } = {}) =>
    prune.handle(payload, await fsJobContext(ctx.app, FS_PRUNE_OPERATION_LOG_JOB.type));

  it('deletes entries past NEXUS_OPLOG_RETENTION_DAYS in every zone, several batches, and keeps the young ones', async () => {
    await entries(91, 2 * RETENTION_BATCH + 3);
    const young = [...(await entries(89, 4)), ...(await entries(0, 2))].sort();

    expect(await run(handler())).toEqual({
      status: 'succeeded',
      result: {
        deleted: 2 * RETENTION_BATCH + 3,
        batches: 3,
        ms: expect.any(Number),
        retentionDays: 90,
        cutoff: new Date(NOW.getTime() - 90 * DAY_MS).toISOString(),
      },
    });
    expect(await remaining()).toEqual(young);
    // A retried job redoes nothing: what is left is young.
    expect(await run(handler())).toMatchObject({ status: 'succeeded', result: { deleted: 0, batches: 1 } });
    expect(await remaining()).toEqual(young);
  });

  it('takes the retention from the payload; 0 days in the config keeps everything', async () => {
    const old = await entries(40, 3);
    const recent = await entries(5);
    expect(await run(handler({ NEXUS_OPLOG_RETENTION_DAYS: '0' }))).toEqual({
      status: 'succeeded',
      result: { deleted: 0, retentionDays: 0 },
    });
    expect(await remaining()).toEqual([...old, ...recent].sort());
    expect(await run(handler(), { olderThanDays: 30 })).toMatchObject({
      result: { deleted: 3, retentionDays: 30 },
    });
    expect(await remaining()).toEqual(recent);
  });

  it('is mounted by the worker side, and without a WorkerConfig prunes only what the payload asks', async () => {
    // This one reads the system clock.
    await entries(3, 2, new Date());
    const today = await entries(0, 1, new Date());
    const mounted = ctx.app.get(PruneOperationLogJobHandler);
    expect(await run(mounted)).toMatchObject({ result: { deleted: 0, retentionDays: 0 } });
    expect(await run(mounted, { olderThanDays: 1 })).toMatchObject({ result: { deleted: 2 } });
    expect(await remaining()).toEqual(today);
  });
});
