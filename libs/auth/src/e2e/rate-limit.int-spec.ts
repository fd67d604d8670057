import { createTestDatabase } from '@nexus/storage-models/testing';
import type { TestDatabase } from '@nexus/storage-models/testing';
import { generateApiKey } from '../keys/api-key-format';
import { bootstrapKeyFrom, call, createKey, startApp, uniqueClientIp, withinOneWindow } from '../testing';
import type { AuthTestApp } from '../testing';

const FALLBACK_LOG = 'Redis unavailable for rate limiting';

describe('rate limits', () => {
  let database: TestDatabase;
  let api: AuthTestApp;
  let adminKey: string;

  beforeAll(async () => {
    database = await createTestDatabase('nexus_auth_rate_limit');
    api = await startApp(database.url, { NEXUS_RATE_LIMIT_ANONYMOUS: '3' });
    adminKey = bootstrapKeyFrom(api.logs);
  });

  afterAll(async () => {
    await api?.close();
    await database?.drop();
  });

  describe('per client IP for unauthenticated requests', () => {
    it('limits a public route and answers 429 with Retry-After past the limit', async () => {
      const from = uniqueClientIp();
      await withinOneWindow(3_000);
      const responses = [];
      for (let i = 0; i < 5; i += 1) responses.push(await call(api, 'GET', '/probe/public', { from }));
      expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 429, 429]);
      expect(responses.map((r) => r.headers['x-ratelimit-remaining'])).toEqual(['2', '1', '0', '0', '0']);
      expect(responses[0]?.headers['x-ratelimit-limit']).toBe('3');
      expect(Number(responses[4]?.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(responses[4]?.body).toMatchObject({ error: 'RATE_LIMITED' });

      // another address is not affected
      expect((await call(api, 'GET', '/probe/public', { from: uniqueClientIp() })).status).toBe(200);
    });

    it('counts failed credentials against the address, then answers 429 instead of 401', async () => {
      const from = uniqueClientIp();
      const unknown = generateApiKey('default');
      await withinOneWindow(3_000);
      const statuses = [];
      for (let i = 0; i < 5; i += 1)
        statuses.push((await call(api, 'GET', '/probe/viewer', { from, token: unknown })).status);
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
      // missing credentials count too
      const other = uniqueClientIp();
      for (let i = 0; i < 3; i += 1) await call(api, 'GET', '/probe/viewer', { from: other });
      expect((await call(api, 'GET', '/probe/viewer', { from: other })).status).toBe(429);
    });

    it('counts token exchanges against the address', async () => {
      const from = uniqueClientIp();
      await withinOneWindow(3_000);
      const statuses = [];
      for (let i = 0; i < 4; i += 1) {
        statuses.push(
          (await call(api, 'POST', '/api/v1/auth/token', { from, body: { apiKey: adminKey } })).status,
        );
      }
      expect(statuses).toEqual([200, 200, 200, 429]);
    });

    it('does not count authenticated requests against the address, nor hold back a key behind a throttled address', async () => {
      const from = uniqueClientIp();
      const key = await createKey(api, adminKey, { role: 'viewer' });
      await withinOneWindow(3_000);
      for (let i = 0; i < 5; i += 1)
        expect((await call(api, 'GET', '/probe/viewer', { from, token: key.key })).status).toBe(200);
      expect((await call(api, 'GET', '/probe/public', { from })).status).toBe(200);
      for (let i = 0; i < 3; i += 1) await call(api, 'GET', '/probe/public', { from });
      expect((await call(api, 'GET', '/probe/public', { from })).status).toBe(429);
      expect((await call(api, 'GET', '/probe/viewer', { from, token: key.key })).status).toBe(200);
    });
  });

  describe('per key', () => {
    it('counts requests refused for their role against the key', async () => {
      const key = await createKey(api, adminKey, { role: 'viewer', rateLimitPerMinute: 2 });
      await withinOneWindow(3_000);
      const statuses = [];
      for (let i = 0; i < 3; i += 1)
        statuses.push((await call(api, 'GET', '/probe/admin', { token: key.key })).status);
      expect(statuses).toEqual([403, 403, 429]);
    });

    it('counts requests refused for naming a foreign zone against the key (no way around the limit)', async () => {
      const key = await createKey(api, adminKey, { role: 'viewer', rateLimitPerMinute: 2 });
      const zone = await call<{ id: string }>(api, 'POST', '/api/v1/zones', {
        token: adminKey,
        body: { name: 'rl-foreign' },
      });
      await withinOneWindow(3_000);
      const statuses = [];
      for (let i = 0; i < 4; i += 1) {
        const response = await call(api, 'GET', '/api/v1/auth/whoami', {
          token: key.key,
          headers: { 'x-nexus-zone-id': zone.body.id },
        });
        statuses.push(response.status);
      }
      expect(statuses).toEqual([403, 403, 429, 429]);
      expect((await call(api, 'GET', '/api/v1/auth/whoami', { token: key.key })).status).toBe(429);
    });
  });

  describe('with Redis unreachable', () => {
    let offline: AuthTestApp;

    beforeAll(async () => {
      offline = await startApp(database.url, {
        REDIS_URL: 'redis://127.0.0.1:1',
        NEXUS_RATE_LIMIT_ANONYMOUS: '3',
      });
    });

    afterAll(async () => {
      await offline?.close();
    });

    it('still authenticates and serves requests', async () => {
      const response = await call(offline, 'GET', '/api/v1/auth/whoami', { token: adminKey });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ superuser: true });
      expect(response.headers['x-ratelimit-limit']).toBeDefined();
    });

    it('enforces a key’s limit locally: never unlimited', async () => {
      const key = await createKey(offline, adminKey, { role: 'viewer', rateLimitPerMinute: 3 });
      await withinOneWindow(3_000);
      const statuses = [];
      for (let i = 0; i < 6; i += 1)
        statuses.push((await call(offline, 'GET', '/probe/viewer', { token: key.key })).status);
      expect(statuses).toEqual([200, 200, 200, 429, 429, 429]);
    });

    it('enforces a role default locally too (large limits are counted in batches)', async () => {
      const limited = await startApp(database.url, {
        REDIS_URL: 'redis://127.0.0.1:1',
        NEXUS_RATE_LIMIT_EDITOR: '25',
      });
      try {
        const key = await createKey(limited, adminKey, { role: 'editor' });
        await withinOneWindow(5_000);
        let allowed = 0;
        for (let i = 0; i < 30; i += 1) {
          if ((await call(limited, 'GET', '/probe/editor', { token: key.key })).status === 200) allowed += 1;
        }
        expect(allowed).toBe(25);
      } finally {
        await limited.close();
      }
    });

    it('enforces the anonymous limit locally', async () => {
      const from = uniqueClientIp();
      await withinOneWindow(3_000);
      const statuses = [];
      for (let i = 0; i < 4; i += 1)
        statuses.push((await call(offline, 'GET', '/probe/public', { from })).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
    });

    it('logs the fallback once, however many requests it served', () => {
      const text = offline.logs.text();
      expect(text.split(FALLBACK_LOG).length - 1).toBe(1);
    });

    it('still revokes keys (in this process at once)', async () => {
      const from = uniqueClientIp(); // the refusal counts against the address
      const key = await createKey(offline, adminKey, { role: 'viewer' });
      expect((await call(offline, 'GET', '/probe/viewer', { token: key.key })).status).toBe(200);
      expect((await call(offline, 'DELETE', `/api/v1/auth/keys/${key.id}`, { token: adminKey })).status).toBe(
        204,
      );
      expect((await call(offline, 'GET', '/probe/viewer', { token: key.key, from })).body).toMatchObject({
        error: 'CREDENTIALS_REVOKED',
      });
    });
  });
});
