import { createTestDatabase } from '@nexus/storage-models/testing';
import type { TestDatabase } from '@nexus/storage-models/testing';
import {
  bootstrapKeyFrom,
  call,
  createKey,
  eventually,
  exchangeToken,
  startApp,
  withinOneWindow,
} from '../testing';
import type { AuthTestApp, HttpResponse } from '../testing';

/** Two API processes on one database and one Redis, as in production. */
describe('two API instances sharing PostgreSQL and Redis', () => {
  let database: TestDatabase;
  let a: AuthTestApp;
  let b: AuthTestApp;
  let adminKey: string;
  const env = { NEXUS_RATE_LIMIT_VIEWER: '5' };

  beforeAll(async () => {
    database = await createTestDatabase('nexus_auth_instances');
    a = await startApp(database.url, env);
    adminKey = bootstrapKeyFrom(a.logs);
    // the second starts on a database whose bootstrap is done
    b = await startApp(database.url, env);
  });

  afterAll(async () => {
    await b?.close();
    await a?.close();
    await database?.drop();
  });

  const whoami = (api: AuthTestApp, token: string) => call(api, 'GET', '/api/v1/auth/whoami', { token });
  const rateHeaders = (response: HttpResponse) => ({
    limit: Number(response.headers['x-ratelimit-limit']),
    remaining: Number(response.headers['x-ratelimit-remaining']),
    reset: Number(response.headers['x-ratelimit-reset']),
  });

  it('enforces a key’s own limit across both instances, with headers and Retry-After', async () => {
    const key = await createKey(a, adminKey, { role: 'admin', rateLimitPerMinute: 4 });
    await withinOneWindow(5_000);
    const responses: HttpResponse[] = [];
    for (let i = 0; i < 8; i += 1) responses.push(await whoami(i % 2 === 0 ? a : b, key.key));

    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 429, 429, 429, 429]);
    expect(responses.map((r) => rateHeaders(r).remaining)).toEqual([3, 2, 1, 0, 0, 0, 0, 0]);
    const nextMinute = Math.ceil(Date.now() / 60_000) * 60;
    for (const response of responses) {
      expect(rateHeaders(response).limit).toBe(4);
      expect(rateHeaders(response).reset).toBe(nextMinute);
    }
    for (const refused of responses.slice(4)) {
      expect(refused.body).toMatchObject({ error: 'RATE_LIMITED' });
      const retryAfter = Number(refused.headers['retry-after']);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(Math.abs(retryAfter - (nextMinute - Date.now() / 1000))).toBeLessThanOrEqual(2);
      expect(refused.body).toMatchObject({ details: { retryAfterSeconds: retryAfter } });
    }
    for (const allowed of responses.slice(0, 4)) expect(allowed.headers['retry-after']).toBeUndefined();
  });

  it('applies the role default when the key sets none, shared by its access tokens', async () => {
    const key = await createKey(a, adminKey, { role: 'viewer' });
    await withinOneWindow(5_000);
    const token = await exchangeToken(b, key.key);
    const statuses: number[] = [];
    for (let i = 0; i < 7; i += 1) {
      const credential = i % 3 === 0 ? token : key.key;
      const response = await whoami(i % 2 === 0 ? a : b, credential);
      expect(rateHeaders(response).limit).toBe(5);
      statuses.push(response.status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
  });

  it('counts each key on its own', async () => {
    const first = await createKey(a, adminKey, { role: 'viewer', rateLimitPerMinute: 1 });
    const second = await createKey(a, adminKey, { role: 'viewer', rateLimitPerMinute: 1 });
    await withinOneWindow(3_000);
    expect((await whoami(a, first.key)).status).toBe(200);
    expect((await whoami(b, first.key)).status).toBe(429);
    expect((await whoami(b, second.key)).status).toBe(200);
  });

  it('makes a revocation on one instance visible on the other within 2 s', async () => {
    const key = await createKey(a, adminKey, { role: 'viewer' });
    const token = await exchangeToken(a, key.key);
    // both instances have the key cached now
    expect((await whoami(a, key.key)).status).toBe(200);
    expect((await whoami(b, key.key)).status).toBe(200);
    expect((await whoami(b, token)).status).toBe(200);

    const revokedAt = Date.now();
    expect((await call(a, 'DELETE', `/api/v1/auth/keys/${key.id}`, { token: adminKey })).status).toBe(204);
    await eventually(
      async () => {
        expect((await whoami(b, key.key)).body).toMatchObject({ error: 'CREDENTIALS_REVOKED' });
        expect((await whoami(b, token)).body).toMatchObject({ error: 'CREDENTIALS_REVOKED' });
      },
      2_000,
      20,
    );
    expect(Date.now() - revokedAt).toBeLessThan(2_000);
    expect((await whoami(a, key.key)).body).toMatchObject({ error: 'CREDENTIALS_REVOKED' });
  });

  it('propagates a revocation through Redis pub/sub, before the other instance’s cache entry expires', async () => {
    const key = await createKey(a, adminKey, { role: 'viewer' });
    const fetchedAt = Date.now();
    // b has never seen this key: it reads it from the database now and caches it for 1 s
    expect((await whoami(b, key.key)).status).toBe(200);
    expect((await call(a, 'DELETE', `/api/v1/auth/keys/${key.id}`, { token: adminKey })).status).toBe(204);
    await eventually(
      async () => expect((await whoami(b, key.key)).body).toMatchObject({ error: 'CREDENTIALS_REVOKED' }),
      2_000,
      10,
    );
    // cache expiry alone could not have done it this soon
    expect(Date.now() - fetchedAt).toBeLessThan(1_000);
  });

  it('makes disabling a user on one instance visible on the other within 2 s', async () => {
    const user = await call<{ id: string }>(a, 'POST', '/api/v1/users', {
      token: adminKey,
      body: { email: 'two.instances@example.com', displayName: 'Two' },
    });
    const key = await createKey(a, adminKey, {
      role: 'viewer',
      subjectType: 'user',
      subjectId: user.body.id,
    });
    expect((await whoami(b, key.key)).status).toBe(200);

    const disabledAt = Date.now();
    await call(a, 'PATCH', `/api/v1/users/${user.body.id}`, { token: adminKey, body: { disabled: true } });
    await eventually(
      async () => {
        expect((await whoami(b, key.key)).body).toMatchObject({ error: 'SUBJECT_DISABLED' });
      },
      2_000,
      20,
    );
    expect(Date.now() - disabledAt).toBeLessThan(2_000);
  });

  it('accepts on one instance the tokens the other issued (shared NEXUS_JWT_SECRET)', async () => {
    const key = await createKey(a, adminKey, { role: 'editor' });
    const token = await exchangeToken(a, key.key);
    expect((await whoami(b, token)).body).toMatchObject({ keyId: key.id, role: 'editor' });
  });
});
