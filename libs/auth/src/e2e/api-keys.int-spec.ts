import { randomUUID } from 'node:crypto';
import type { Principal } from '@nexus/core';
import { createTestDatabase } from '@nexus/storage-models/testing';
import type { TestDatabase } from '@nexus/storage-models/testing';
import { ApiKeysService } from '../keys/api-keys.service';
import {
  auditRows,
  bootstrapKeyFrom,
  call,
  createKey,
  dataSourceOf,
  eventually,
  sleep,
  startApp,
} from '../testing';
import type { AuthTestApp } from '../testing';

describe('API key management over HTTP', () => {
  let database: TestDatabase;
  let api: AuthTestApp;
  let adminKey: string;

  beforeAll(async () => {
    database = await createTestDatabase('nexus_auth_keys');
    api = await startApp(database.url);
    adminKey = bootstrapKeyFrom(api.logs);
  });

  afterAll(async () => {
    await api?.close();
    await database?.drop();
  });

  const whoami = (token?: string) => call(api, 'GET', '/api/v1/auth/whoami', { token });
  const sql = (query: string, parameters: unknown[] = []) => dataSourceOf(api).query(query, parameters);

  it('returns the key once; lists never carry the key or its hash', async () => {
    const created = await createKey(api, adminKey, { role: 'viewer', rateLimitPerMinute: 42 });
    expect(created.key).toMatch(/^nx_default_[A-Za-z0-9_-]{43}$/);
    expect(created.keyPrefix).toBe(created.key.slice(0, 'nx_default_'.length + 6));
    expect(created).not.toHaveProperty('keyHash');

    const list = await call<{ items: Record<string, unknown>[] }>(api, 'GET', '/api/v1/auth/keys', {
      token: adminKey,
    });
    expect(list.status).toBe(200);
    const listed = list.body.items.find((item) => item.id === created.id);
    expect(listed).toMatchObject({ keyPrefix: created.keyPrefix, role: 'viewer', rateLimitPerMinute: 42 });
    for (const item of list.body.items) {
      expect(item).not.toHaveProperty('key');
      expect(item).not.toHaveProperty('keyHash');
    }
    expect(list.text).not.toContain(created.key);
    const [row] = (await sql('SELECT key_hash FROM api_keys WHERE id = $1', [created.id])) as {
      key_hash: string;
    }[];
    expect(row?.key_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(list.text).not.toContain(row?.key_hash);
    expect(
      await auditRows(api, 'auth_success', { event: 'key_created', createdKeyId: created.id }),
    ).toHaveLength(1);
  });

  it('pages through keys without repeating or skipping one', async () => {
    for (let i = 0; i < 4; i += 1) await createKey(api, adminKey, { role: 'viewer' });
    const [{ count }] = await sql(
      'SELECT count(*)::int AS count FROM api_keys WHERE zone_id = (SELECT id FROM zones WHERE name = $1)',
      ['default'],
    );
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?limit=2&cursor=${encodeURIComponent(cursor)}` : '?limit=2';
      const page = await call<{ items: { id: string }[]; nextCursor: string | null }>(
        api,
        'GET',
        `/api/v1/auth/keys${query}`,
        {
          token: adminKey,
        },
      );
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((item) => item.id));
      cursor = page.body.nextCursor;
    } while (cursor && seen.length <= count);
    expect(seen).toHaveLength(count);
    expect(new Set(seen).size).toBe(count);
  });

  it('answers a forged cursor with 400 INVALID_CURSOR, not a database error', async () => {
    for (const position of [
      { at: 'yesterday', id: randomUUID() },
      { at: new Date().toISOString(), id: 'x' },
      { id: 1 },
    ]) {
      const cursor = Buffer.from(JSON.stringify(position)).toString('base64url');
      const page = await call(api, 'GET', `/api/v1/auth/keys?cursor=${cursor}`, { token: adminKey });
      expect(page.status).toBe(400);
      expect(page.body).toMatchObject({ error: 'INVALID_CURSOR' });
    }
  });

  it('records lastUsedAt after a key is used', async () => {
    const created = await createKey(api, adminKey, { role: 'viewer' });
    const [before] = await sql('SELECT last_used_at FROM api_keys WHERE id = $1', [created.id]);
    expect(before.last_used_at).toBeNull();
    await whoami(created.key);
    await eventually(async () => {
      const [after] = (await sql('SELECT last_used_at FROM api_keys WHERE id = $1', [created.id])) as {
        last_used_at: Date | null;
      }[];
      expect(after?.last_used_at).toBeInstanceOf(Date);
      expect(Math.abs((after?.last_used_at?.getTime() ?? 0) - Date.now())).toBeLessThan(10_000);
    }, 2_000);
  });

  it('writes lastUsedAt at most once a minute per key', async () => {
    const created = await createKey(api, adminKey, { role: 'viewer' });
    await whoami(created.key);
    let first: Date | undefined;
    await eventually(async () => {
      const [row] = await sql('SELECT last_used_at FROM api_keys WHERE id = $1', [created.id]);
      expect(row.last_used_at).not.toBeNull();
      first = row.last_used_at;
    }, 2_000);
    for (let i = 0; i < 3; i += 1) await whoami(created.key);
    await sleep(200);
    const [row] = await sql('SELECT last_used_at FROM api_keys WHERE id = $1', [created.id]);
    expect(row.last_used_at).toEqual(first);
  });

  it('never lets ApiKeysService give a key more than its creator’s role', async () => {
    const [zone] = (await sql("SELECT id FROM zones WHERE name = 'default'")) as { id: string }[];
    const operator: Principal = {
      subjectType: 'agent',
      subjectId: 'operator-agent',
      zoneId: zone!.id,
      role: 'operator',
      superuser: false,
      keyId: null,
    };
    const keys = api.app.get(ApiKeysService);
    const input = { name: 'svc', subjectType: 'agent', subjectId: 'svc-agent' } as const;
    await expect(keys.create(operator, { ...input, role: 'admin' })).rejects.toMatchObject({
      status: 403,
      code: 'ROLE_TOO_LOW',
    });
    const created = await keys.create(operator, { ...input, role: 'operator' });
    expect(created.record.role).toBe('operator');
    expect((await whoami(created.key)).body).toMatchObject({ role: 'operator' });
  });

  it('lets only a superuser revoke a superuser key (a zone admin cannot lock the operator out)', async () => {
    const zoneAdmin = await createKey(api, adminKey, { role: 'admin' });
    const bootstrapId = String((await whoami(adminKey)).body.keyId);
    const refused = await call(api, 'DELETE', `/api/v1/auth/keys/${bootstrapId}`, { token: zoneAdmin.key });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ error: 'SUPERUSER_REQUIRED' });
    expect((await whoami(adminKey)).status).toBe(200);
  });

  it('refuses a creator giving a key a higher role than its own (403)', async () => {
    const editor = await createKey(api, adminKey, { role: 'editor' });
    const response = await call(api, 'POST', '/api/v1/auth/keys', {
      token: editor.key,
      body: { name: 'escalate', subjectType: 'agent', subjectId: 'x', role: 'admin' },
    });
    expect(response.status).toBe(403);
    expect(await sql("SELECT 1 FROM api_keys WHERE name = 'escalate'")).toHaveLength(0);
  });

  it.each([
    ['an unknown role', { role: 'root' }],
    ['an unknown subject type', { subjectType: 'robot' }],
    ['a bad subject id', { subjectId: '../etc' }],
    ['a zero rate limit', { rateLimitPerMinute: 0 }],
    ['an unknown field', { superuser: true }],
    ['a bad expiry', { expiresAt: 'tomorrow' }],
  ])('refuses creating a key with %s (400)', async (_label, change) => {
    const response = await call(api, 'POST', '/api/v1/auth/keys', {
      token: adminKey,
      body: { name: 'bad', subjectType: 'agent', subjectId: 'a', role: 'viewer', ...change },
    });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: 'VALIDATION_FAILED' });
  });
});
