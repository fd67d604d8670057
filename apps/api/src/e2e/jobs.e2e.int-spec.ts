import { randomUUID } from 'node:crypto';
import { dropQueue } from '@nexus/jobs/testing';
import { createTestDatabase } from '@nexus/storage-models/testing';
import type { TestDatabase } from '@nexus/storage-models/testing';
import { DataSource } from 'typeorm';
import { createKey, newAdminKey, startApi } from './support/api-under-test';
import type { ApiUnderTest } from './support/api-under-test';

const ADMIN_KEY = newAdminKey();
const JOBS_QUEUE = `test-api-jobs-${process.pid}`;

interface JobBody {
  id: string;
  status: string;
  type: string;
  zoneId: string;
  createdBy: string;
  maxAttempts: number;
}

describe('jobs API over HTTP (real PostgreSQL and Redis)', () => {
  let database: TestDatabase;
  let api: ApiUnderTest;
  const tokens: Record<'viewer' | 'operator', string> = { viewer: '', operator: '' };

  beforeAll(async () => {
    database = await createTestDatabase('nexus_api_jobs');
    api = await startApi(database.url, ADMIN_KEY, { NEXUS_JOBS_QUEUE: JOBS_QUEUE });
    for (const role of ['viewer', 'operator'] as const)
      tokens[role] = await createKey(api, ADMIN_KEY, role, `agent-${role}`);
  });

  afterAll(async () => {
    await api?.app.close();
    if (api) await dropQueue(api.config);
    await database?.drop();
  });

  it('submits a job (operator) and reads it back (viewer)', async () => {
    const created = await api.call<JobBody>('POST', '/api/v1/jobs', tokens.operator, { type: 'system.noop', payload: { echo: 'x' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'queued', type: 'system.noop', createdBy: 'agent:agent-operator', maxAttempts: 3 });
    const read = await api.call<JobBody>('GET', `/api/v1/jobs/${created.body.id}`, tokens.viewer);
    expect(read).toMatchObject({ status: 200, body: { id: created.body.id } });
    expect((await api.call('GET', `/api/v1/jobs/${created.body.id}/artifacts`, tokens.viewer)).body).toEqual({ items: [] });
  });

  it('refuses submit and cancel to a viewer', async () => {
    expect((await api.call('POST', '/api/v1/jobs', tokens.viewer, { type: 'system.noop' })).status).toBe(403);
    const { body } = await api.call<JobBody>('POST', '/api/v1/jobs', tokens.operator, { type: 'system.noop', runAt: '2099-01-01T00:00:00Z' });
    expect((await api.call('POST', `/api/v1/jobs/${body.id}/cancel`, tokens.viewer)).status).toBe(403);
  });

  it('answers 400 and writes no row for an unknown type or an invalid payload', async () => {
    const before = await api.app.get(DataSource).query<Array<{ n: number }>>('SELECT count(*)::int AS n FROM jobs');
    for (const body of [
      { type: 'system.nope' },
      { type: 'system.noop', payload: { unexpected: 1 } },
      { type: 'system.integrity_audit', payload: { table: 'jobs' } },
      { type: 'system.noop', maxAttempts: 11 },
      { type: 'system.noop', maxAttempts: 0 },
    ]) {
      expect((await api.call('POST', '/api/v1/jobs', tokens.operator, body)).status).toBe(400);
    }
    const after = await api.app.get(DataSource).query<Array<{ n: number }>>('SELECT count(*)::int AS n FROM jobs');
    expect(after[0]?.n).toBe(before[0]?.n);
  });

  it('returns the existing job (200) for a repeated idempotency key', async () => {
    const body = { type: 'system.noop', idempotencyKey: `key-${randomUUID()}` };
    const first = await api.call<JobBody>('POST', '/api/v1/jobs', tokens.operator, body);
    const second = await api.call<JobBody>('POST', '/api/v1/jobs', tokens.operator, body);
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.body.id).toBe(first.body.id);
    const reused = await api.call('POST', '/api/v1/jobs', tokens.operator, { ...body, type: 'system.integrity_audit', payload: { table: 'jobs', sampleSize: 1 } });
    expect(reused.status).toBe(409);
  });

  it('cancels a queued job once; a second cancel is an illegal transition (409)', async () => {
    const { body } = await api.call<JobBody>('POST', '/api/v1/jobs', tokens.operator, { type: 'system.noop', runAt: '2099-01-01T00:00:00Z' });
    expect(await api.call('POST', `/api/v1/jobs/${body.id}/cancel`, tokens.operator)).toMatchObject({ status: 200, body: { status: 'cancelled' } });
    expect(await api.call('POST', `/api/v1/jobs/${body.id}/cancel`, tokens.operator)).toMatchObject({
      status: 409,
      body: { error: 'ILLEGAL_TRANSITION' },
    });
  });

  it('lists with filters, a total, offset and cursor pages', async () => {
    const type = 'system.noop';
    for (let i = 0; i < 3; i += 1) await api.call('POST', '/api/v1/jobs', tokens.operator, { type, runAt: '2099-01-01T00:00:00Z' });
    const all = await api.call<{ items: JobBody[]; total: number; nextCursor: string | null }>('GET', '/api/v1/jobs?limit=2', tokens.viewer);
    expect(all.status).toBe(200);
    expect(all.body.items).toHaveLength(2);
    expect(all.body.total).toBeGreaterThanOrEqual(5);
    const next = await api.call<{ items: JobBody[] }>('GET', `/api/v1/jobs?limit=2&cursor=${all.body.nextCursor}`, tokens.viewer);
    expect(next.body.items.map((j) => j.id)).not.toContain(all.body.items[0]?.id);
    const byOffset = await api.call<{ items: JobBody[] }>('GET', '/api/v1/jobs?limit=2&offset=2', tokens.viewer);
    expect(byOffset.body.items.map((j) => j.id)).toEqual(next.body.items.map((j) => j.id));
    const cancelled = await api.call<{ items: JobBody[]; total: number }>('GET', '/api/v1/jobs?status=cancelled', tokens.viewer);
    expect(cancelled.body.items.every((j) => j.status === 'cancelled')).toBe(true);
    expect(cancelled.body.total).toBe(cancelled.body.items.length);
    const mine = await api.call<{ total: number }>('GET', '/api/v1/jobs?createdBy=agent:agent-operator&type=system.noop', tokens.viewer);
    expect(mine.body.total).toBe(all.body.total);
    const future = await api.call<{ total: number }>('GET', '/api/v1/jobs?createdAfter=2099-01-01T00:00:00Z', tokens.viewer);
    expect(future.body.total).toBe(0);
    const past = await api.call<{ total: number }>('GET', '/api/v1/jobs?createdBefore=2000-01-01T00:00:00Z', tokens.viewer);
    expect(past.body.total).toBe(0);
    expect((await api.call('GET', '/api/v1/jobs?status=bogus', tokens.viewer)).status).toBe(400);
  });

  it('hides other zones’ jobs: not found, not listed, not cancellable', async () => {
    const rows = await api.app.get(DataSource).query<Array<{ id: string }>>(
      `INSERT INTO jobs (zone_id, type, payload, next_run_at, created_by) VALUES ($1, 'system.noop', '{}', now(), 'agent:other') RETURNING id`,
      [randomUUID()],
    );
    const id = rows[0]!.id;
    expect((await api.call('GET', `/api/v1/jobs/${id}`, tokens.viewer)).status).toBe(404);
    expect((await api.call('GET', `/api/v1/jobs/${id}/artifacts`, tokens.viewer)).status).toBe(404);
    expect((await api.call('POST', `/api/v1/jobs/${id}/cancel`, tokens.operator)).status).toBe(404);
    const list = await api.call<{ items: JobBody[] }>('GET', '/api/v1/jobs?limit=1000', tokens.viewer);
    expect(list.body.items.map((j) => j.id)).not.toContain(id);
  });

  it('lists workers and exposes the queue gauges, but no job execution series (only workers run jobs)', async () => {
    expect(await api.call('GET', '/api/v1/workers', tokens.viewer)).toMatchObject({ status: 200, body: { items: [] } });
    const metrics = await (await fetch(`${api.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/nexus_jobs\{status="queued"\} \d+/);
    expect(metrics).not.toContain('nexus_job_duration_seconds');
    expect(metrics).not.toContain('nexus_job_failures_total');
  });
});
