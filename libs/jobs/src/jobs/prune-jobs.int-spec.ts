import type { INestApplicationContext } from '@nestjs/common';
import type { WorkerConfig } from '@nexus/core';
import { createTestDatabase } from '@nexus/storage-models/testing';
import type { TestDatabase } from '@nexus/storage-models/testing';
import { DataSource } from 'typeorm';
import { NOOP_JOB } from './system-job-types';
import type { JobStatus } from '../job-types';
import { ManualJobClock } from '../state/clock';
import { dropQueue, startJobsContext, testPrincipal, testWorkerConfig } from '../testing';
import { PRUNE_BATCH, PruneJobsHandler } from './prune-jobs.handler';
import { recordJobArtifact } from './record-artifact';

const NOW = new Date('2030-06-01T00:00:00.000Z');
const DAY_MS = 86_400_000;

describe('system.prune_jobs', () => {
  let database: TestDatabase;
  let config: WorkerConfig;
  let app: INestApplicationContext;
  let dataSource: DataSource;
  const zoneId = testPrincipal().zoneId;

  beforeAll(async () => {
    database = await createTestDatabase('nexus_jobs_prune');
    config = testWorkerConfig(database.url, { NEXUS_JOB_RETENTION_DAYS: '30' });
    app = await startJobsContext(config);
    dataSource = app.get(DataSource);
  });

  afterAll(async () => {
    await app?.close();
    if (config) await dropQueue(config);
    await database?.drop();
  });

  beforeEach(() => dataSource.query('TRUNCATE jobs CASCADE'));

  /** `count` jobs in `status`, finished `ageDays` before NOW (unfinished ones have no finished_at). */
  async function jobs(status: JobStatus, ageDays: number, count = 1): Promise<string[]> {
    const finished = ['succeeded', 'failed', 'cancelled'].includes(status)
      ? new Date(NOW.getTime() - ageDays * DAY_MS)
      : null;
    const rows = await dataSource.query<Array<{ id: string }>>(
      `INSERT INTO jobs (zone_id, type, status, next_run_at, created_by, finished_at)
       SELECT $1, $2, $3, $4, 'agent:test', $5 FROM generate_series(1, $6) RETURNING id`,
      [zoneId, NOOP_JOB.type, status, NOW, finished, count],
    );
    return rows.map((row) => row.id);
  }

  function run(payload: { olderThanDays?: number } = {}, signal = new AbortController().signal) {
    const handler = new PruneJobsHandler(dataSource, config, new ManualJobClock(NOW));
    return handler.handle(payload, {
      jobId: 'x',
      zoneId,
      createdBy: 'system:scheduler',
      attempt: 1,
      maxAttempts: 3,
      signal,
      progress: () => Promise.resolve(),
    });
  }

  async function remaining(): Promise<string[]> {
    return (await dataSource.query<Array<{ id: string }>>(`SELECT id FROM jobs`)).map((row) => row.id).sort();
  }

  it('deletes finished jobs past the retention with their artifacts, and nothing else', async () => {
    const old = [
      ...(await jobs('succeeded', 31)),
      ...(await jobs('failed', 90)),
      ...(await jobs('cancelled', 400)),
    ];
    await recordJobArtifact(dataSource, { jobId: old[0] ?? '', kind: 'report', name: 'r', data: { a: 1 } });
    const kept = [
      ...(await jobs('succeeded', 29)),
      ...(await jobs('queued', 365)),
      ...(await jobs('running', 365)),
      ...(await jobs('retry_wait', 365)),
    ];

    expect(await run()).toEqual({
      status: 'succeeded',
      result: expect.objectContaining({ deleted: 3, retentionDays: 30 }),
    });
    expect(await remaining()).toEqual([...kept].sort());
    expect(await dataSource.query(`SELECT * FROM job_artifacts`)).toEqual([]);
    // A re-run (at-least-once delivery) finds nothing more to delete.
    expect(await run()).toMatchObject({ result: { deleted: 0 } });
  });

  it('deletes in batches until none is left, and takes the retention from the payload', async () => {
    await jobs('succeeded', 10, PRUNE_BATCH + 150);
    const recent = await jobs('succeeded', 2);
    expect(await run()).toMatchObject({ result: { deleted: 0 } });
    expect(await run({ olderThanDays: 5 })).toMatchObject({
      result: { deleted: PRUNE_BATCH + 150, retentionDays: 5 },
    });
    expect(await remaining()).toEqual(recent);
  });

  it('stops when aborted, reporting what it deleted', async () => {
    await jobs('succeeded', 60);
    const controller = new AbortController();
    controller.abort();
    expect(await run({}, controller.signal)).toEqual({
      status: 'failed',
      error: 'aborted after deleting 0 job(s)',
    });
    expect(await remaining()).toHaveLength(1);
  });
});
