import { request } from 'node:http';
import { freePort, startNexusProcess } from '@nexus/core/testing';
import { createTestDatabase } from '@nexus/storage-models/testing';
import type { TestDatabase } from '@nexus/storage-models/testing';

const API_MAIN = 'apps/api/src/main.ts';

describe('API process', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase('nexus_api_process');
  });

  afterAll(async () => {
    await database?.drop();
  });

  it.each([
    ['NEXUS_PORT', 'abc'],
    ['NEXUS_PORT', '70000'],
    ['DB_POOL_SIZE', '0'],
    ['NEXUS_SKIP_MIGRATIONS', 'maybe'],
    ['DATABASE_URL', 'mysql://nope'],
  ])('refuses to start when %s=%s, naming the variable', async (variable, value) => {
    const api = startNexusProcess(API_MAIN, { DATABASE_URL: database.url, [variable]: value });
    const code = await api.exited();
    expect(code).not.toBe(0);
    expect(api.output()).toContain(`Configuration error: ${variable}:`);
  });

  it('on SIGTERM finishes the request in flight, then exits 0', async () => {
    const port = await freePort();
    const api = startNexusProcess(API_MAIN, {
      DATABASE_URL: database.url,
      NEXUS_PORT: String(port),
    });
    try {
      await api.waitForOutput(/Nexus API listening/);
      // A request whose body is still arriving is in flight when SIGTERM lands.
      const body = JSON.stringify({ probe: 'x'.repeat(64) });
      const response = new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = request(
          { host: '127.0.0.1', port, method: 'POST', path: '/healthz', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
          (res) => {
            let text = '';
            res.on('data', (chunk: Buffer) => (text += chunk.toString()));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
          },
        );
        req.on('error', reject);
        req.write(body.slice(0, 10));
        setTimeout(() => {
          api.child.kill('SIGTERM');
          setTimeout(() => req.end(body.slice(10)), 500);
        }, 200);
      });
      const answered = await response;
      // POST /healthz has no route: a complete, well-formed 404 proves the request was served, not cut.
      expect(answered.status).toBe(404);
      expect(JSON.parse(answered.text)).toMatchObject({ error: 'NOT_FOUND', statusCode: 404 });
      expect(await api.exited(15_000)).toBe(0);
      expect(api.output()).toContain('SIGTERM received');
      expect(api.output()).toContain('Shutdown complete');
    } finally {
      await api.stop('SIGKILL');
    }
  });
});
