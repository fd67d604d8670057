import { randomUUID } from 'node:crypto';
import { dropQueue } from '@nexus/jobs/testing';
import { createTestDatabase } from '@nexus/storage-models/testing';
import type { TestDatabase } from '@nexus/storage-models/testing';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { createKey, newAdminKey, startApi } from './support/api-under-test';
import type { ApiUnderTest } from './support/api-under-test';

const ADMIN_KEY = newAdminKey();
const JOBS_QUEUE = `test-api-jobs-batch-${process.pid}`;

interface JobBody {
  id: string;
  status: string;
  type: string;
  createdBy: string;
  maxAttempts: number;
}

interface BatchBody {
  items: JobBody[];
  created: number;
}

describe('jobs batch API over HTTP (real PostgreSQL and Redis)', () => {
  let database: TestDatabase;
  let api: ApiUnderTest;
  const tokens: Record<'viewer' | 'operator', string> = { viewer: '', operator: '' };

  async function jobCount(): Promise<number> {
    const rows = await api.app.get(DataSource).query<Array<{ n: number }>>('SELECT count(*)::int AS n FROM jobs');
    return rows[0]?.n ?? -1;
  }

  beforeAll(async () => {
    database = await createTestDatabase('nexus_api_jobs_batch');
    api = await startApi(database.url, ADMIN_KEY, { NEXUS_JOBS_QUEUE: JOBS_QUEUE });
    for (const role of ['viewer', 'operator'] as const)
      tokens[role] = await createKey(api, ADMIN_KEY, role, `agent-${role}`);
  });

  afterAll(async () => {
    await api?.app.close();
    if (api) await dropQueue(api.config);
    await database?.drop();
  });

  it('submits 1000 jobs in one call, in order, committed and published to BullMQ', async () => {
    const jobs = Array.from({ length: 1000 }, (_, i) => ({ type: 'system.noop', payload: { echo: `n${i}` } }));
    const { status, body } = await api.call<BatchBody>('POST', '/api/v1/jobs/batch', tokens.operator, { jobs });
    expect(status).toBe(201);
    expect(body.created).toBe(1000);
    expect(body.items).toHaveLength(1000);
    expect(body.items[0]).toMatchObject({ status: 'queued', type: 'system.noop', createdBy: 'agent:agent-operator', maxAttempts: 3 });
    const rows = await api.app.get(DataSource).query<Array<{ id: string; echo: string; dispatched: boolean }>>(
      `SELECT id, payload->>'echo' AS echo, dispatched_at IS NOT NULL AS dispatched FROM jobs WHERE id = ANY($1::uuid[])`,
      [body.items.map((item) => item.id)],
    );
    expect(rows).toHaveLength(1000);
    expect(rows.every((row) => row.dispatched)).toBe(true);
    const echoById = new Map(rows.map((row) => [row.id, row.echo]));
    expect(body.items.map((item) => echoById.get(item.id))).toEqual(jobs.map((job) => job.payload.echo));
    const queue = new Queue(JOBS_QUEUE, { connection: { url: api.config.REDIS_URL } });
    try {
      expect((await queue.getJobCounts('waiting')).waiting).toBeGreaterThanOrEqual(1000);
    } finally {
      await queue.close();
    }
  });

  it('refuses a viewer (403), an empty or oversized batch (400)', async () => {
    expect((await api.call('POST', '/api/v1/jobs/batch', tokens.viewer, { jobs: [{ type: 'system.noop' }] })).status).toBe(403);
    expect((await api.call('POST', '/api/v1/jobs/batch', tokens.operator, { jobs: [] })).status).toBe(400);
    const tooMany = Array.from({ length: 1001 }, () => ({ type: 'system.noop' }));
    expect((await api.call('POST', '/api/v1/jobs/batch', tokens.operator, { jobs: tooMany })).status).toBe(400);
  });

  it('validates every entry like a single submit and writes nothing when one is invalid', async () => {
    const before = await jobCount();
    for (const bad of [
      { type: 'system.nope' },
      { type: 'system.noop', payload: { unexpected: 1 } },
      { type: 'system.integrity_audit', payload: { table: 'jobs' } },
      { type: 'system.noop', maxAttempts: 11 },
      { type: 'system.noop', idempotencyKey: 'bad key' },
    ]) {
      const { status } = await api.call('POST', '/api/v1/jobs/batch', tokens.operator, { jobs: [{ type: 'system.noop' }, bad] });
      expect(status).toBe(400);
    }
    const key = `dup-${randomUUID()}`;
    const duplicate = [
      { type: 'system.noop', idempotencyKey: key },
      { type: 'system.noop', idempotencyKey: key },
    ];
    expect((await api.call('POST', '/api/v1/jobs/batch', tokens.operator, { jobs: duplicate })).status).toBe(400);
    expect(await jobCount()).toBe(before);
  });

  it('returns existing jobs for repeated idempotency keys, and 409 (nothing written) for a key of another type', async () => {
    const key = `key-${randomUUID()}`;
    const single = await api.call<JobBody>('POST', '/api/v1/jobs', tokens.operator, { type: 'system.noop', idempotencyKey: key });
    expect(single.status).toBe(201);
    const { status, body } = await api.call<BatchBody>('POST', '/api/v1/jobs/batch', tokens.operator, {
      jobs: [{ type: 'system.noop' }, { type: 'system.noop', idempotencyKey: key }],
    });
    expect(status).toBe(201);
    expect(body.created).toBe(1);
    expect(body.items[1]?.id).toBe(single.body.id);
    const before = await jobCount();
    const reused = await api.call('POST', '/api/v1/jobs/batch', tokens.operator, {
      jobs: [{ type: 'system.noop' }, { type: 'system.integrity_audit', payload: { table: 'jobs', sampleSize: 1 }, idempotencyKey: key }],
    });
    expect(reused.status).toBe(409);
    expect(await jobCount()).toBe(before);
  });
});
