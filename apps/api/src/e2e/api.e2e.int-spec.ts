import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ApiConfig, loadConfig } from '@nexus/core';
import { createTestDatabase } from '@nexus/storage-models/testing';
import type { TestDatabase } from '@nexus/storage-models/testing';
import { Client } from 'pg';
import { createApiApp } from '../bootstrap/create-api-app';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

async function startApi(env: Record<string, string>): Promise<{ app: NestFastifyApplication; baseUrl: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'nexus-api-e2e-'));
  const config = loadConfig(ApiConfig, { NEXUS_PORT: '0', LOG_LEVEL: 'silent', NEXUS_DATA_DIR: dataDir, ...env });
  const app = await createApiApp(config);
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, baseUrl: await app.getUrl() };
}

describe('API over HTTP (real PostgreSQL and Redis)', () => {
  let database: TestDatabase;
  let app: NestFastifyApplication;
  let baseUrl: string;

  beforeAll(async () => {
    database = await createTestDatabase('nexus_api_e2e');
    ({ app, baseUrl } = await startApi({ DATABASE_URL: database.url }));
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('answers /healthz with 200 {"status":"ok"}', async () => {
    const response = await fetch(`${baseUrl}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('echoes a given X-Request-ID and generates a UUID otherwise', async () => {
    const echoed = await fetch(`${baseUrl}/healthz`, { headers: { 'X-Request-ID': 'abc-1' } });
    expect(echoed.headers.get('x-request-id')).toBe('abc-1');
    const generated = await fetch(`${baseUrl}/healthz`);
    expect(generated.headers.get('x-request-id')).toMatch(UUID);
  });

  it('replaces an unacceptable request id instead of echoing it', async () => {
    const response = await fetch(`${baseUrl}/healthz`, { headers: { 'X-Request-ID': 'x'.repeat(500) } });
    expect(response.headers.get('x-request-id')).toMatch(UUID);
  });

  it('is ready when PostgreSQL, Redis and the KV store answer', async () => {
    const response = await fetch(`${baseUrl}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: 'ready',
      checks: { postgres: { status: 'ok' }, redis: { status: 'ok' }, kv: { status: 'ok' } },
    });
  });

  it('ran the migrations at start', async () => {
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ name: string }>('SELECT name FROM schema_migrations');
      expect(rows.length).toBeGreaterThan(0);
      const { rows: tables } = await client.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'audit_log'");
      expect(tables).toHaveLength(1);
    } finally {
      await client.end();
    }
  });

  it('exposes Prometheus metrics with HTTP counters by route template and pool gauges', async () => {
    for (let i = 0; i < 3; i++) await fetch(`${baseUrl}/healthz`);
    const response = await fetch(`${baseUrl}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    const counter = text.match(/^http_requests_total\{method="GET",route="\/healthz",status="200"\} (\d+)$/m);
    expect(Number(counter?.[1])).toBeGreaterThanOrEqual(3);
    expect(text).toMatch(/^http_request_duration_seconds_bucket\{le="0.005",method="GET",route="\/healthz",status="200"\} \d+$/m);
    expect(text).toMatch(/^db_pool_connections\{state="total"\} \d+$/m);
    expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
  });

  it('answers unknown routes with the standard error body', async () => {
    const response = await fetch(`${baseUrl}/no/such/route`, { headers: { 'X-Request-ID': 'req-404' } });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: 'NOT_FOUND',
      message: 'Cannot GET /no/such/route',
      statusCode: 404,
      requestId: 'req-404',
    });
  });

  it('answers malformed JSON with a 400 in the standard error body', async () => {
    const response = await fetch(`${baseUrl}/healthz`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{not json',
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    const body = (await response.json()) as { error: string; statusCode: number; requestId: string };
    expect(body.statusCode).toBe(response.status);
    expect(body.requestId).toMatch(UUID);
  });

  it('serves the OpenAPI document at /docs-json and the UI at /docs', async () => {
    const json = await fetch(`${baseUrl}/docs-json`);
    expect(json.status).toBe(200);
    const document = (await json.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(document.openapi).toMatch(/^3\./);
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/healthz', '/readyz', '/metrics']));
    const ui = await fetch(`${baseUrl}/docs`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('swagger');
  });
});

describe('API with Redis unreachable', () => {
  let database: TestDatabase;
  let app: NestFastifyApplication;
  let baseUrl: string;

  beforeAll(async () => {
    database = await createTestDatabase('nexus_api_noredis');
    // Port 1 on loopback: nothing listens, connections are refused at once.
    ({ app, baseUrl } = await startApi({ DATABASE_URL: database.url, REDIS_URL: 'redis://127.0.0.1:1' }));
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('keeps serving requests', async () => {
    const response = await fetch(`${baseUrl}/healthz`);
    expect(response.status).toBe(200);
  });

  it('is not ready, and names Redis as the dependency that does not answer', async () => {
    const response = await fetch(`${baseUrl}/readyz`);
    expect(response.status).toBe(503);
    const body = (await response.json()) as { status: string; checks: Record<string, { status: string }> };
    expect(body.status).toBe('unavailable');
    expect(body.checks.redis?.status).toBe('down');
    expect(body.checks.postgres?.status).toBe('ok');
  });
});
