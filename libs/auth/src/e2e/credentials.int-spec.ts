import { randomUUID } from 'node:crypto';
import { createTestDatabase } from '@nexus/storage-models/testing';
import type { TestDatabase } from '@nexus/storage-models/testing';
import { generateApiKey } from '../keys/api-key-format';
import {
  auditRows,
  bootstrapKeyFrom,
  CLIENT_IP,
  call,
  createKey,
  createZone,
  dataSourceOf,
  exchangeToken,
  sleep,
  startApp,
} from '../testing';
import type { AuthTestApp } from '../testing';

describe('credentials: API keys, subjects and zones at the guard', () => {
  let database: TestDatabase;
  let api: AuthTestApp;
  let adminKey: string;

  beforeAll(async () => {
    database = await createTestDatabase('nexus_auth_credentials');
    api = await startApp(database.url);
    adminKey = bootstrapKeyFrom(api.logs);
  });

  afterAll(async () => {
    await api?.close();
    await database?.drop();
  });

  const whoami = (token?: string, headers: Record<string, string> = {}) =>
    call(api, 'GET', '/api/v1/auth/whoami', { token, headers });
  const sql = (query: string, parameters: unknown[] = []) => dataSourceOf(api).query(query, parameters);

  it('authenticates the bootstrap key as the superuser admin of zone default', async () => {
    const response = await whoami(adminKey);
    expect(response.status).toBe(200);
    const [zone] = await sql("SELECT id FROM zones WHERE name = 'default'");
    expect(response.body).toMatchObject({
      role: 'admin',
      superuser: true,
      subjectType: 'service',
      subjectId: 'bootstrap-admin',
      zoneId: zone.id,
    });
  });

  describe('refused credentials', () => {
    it.each([
      ['no Authorization header', {}, 'CREDENTIALS_MISSING'],
      ['an empty header', { authorization: '' }, 'CREDENTIALS_MISSING'],
      ['"Bearer" without a credential', { authorization: 'Bearer ' }, 'CREDENTIALS_MISSING'],
      [
        'another scheme',
        { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` },
        'CREDENTIALS_MISSING',
      ],
      ['two credentials', { authorization: 'Bearer a b' }, 'CREDENTIALS_MISSING'],
      ['an unknown key', { authorization: `Bearer ${generateApiKey('default')}` }, 'CREDENTIALS_INVALID'],
      [
        'a key of an unknown zone',
        { authorization: `Bearer ${generateApiKey('nowhere')}` },
        'CREDENTIALS_INVALID',
      ],
      [
        'a malformed key (short secret)',
        { authorization: `Bearer nx_default_${'a'.repeat(20)}` },
        'CREDENTIALS_INVALID',
      ],
      [
        'a malformed key (bad characters)',
        { authorization: `Bearer nx_default_${'a'.repeat(42)}$` },
        'CREDENTIALS_INVALID',
      ],
      ['random text', { authorization: 'Bearer hello' }, 'CREDENTIALS_INVALID'],
    ])('refuses %s with %s', async (_label, headers, code) => {
      const response = await call(api, 'GET', '/probe/viewer', { headers });
      expect(response.status).toBe(401);
      expect(response.body).toMatchObject({ error: code, statusCode: 401 });
    });

    it('refuses the bootstrap key with one character changed', async () => {
      const changed = `${adminKey.slice(0, -1)}${adminKey.endsWith('A') ? 'B' : 'A'}`;
      expect((await whoami(changed)).body).toMatchObject({ error: 'CREDENTIALS_INVALID' });
    });

    it('audits failures with reason, route and the key prefix, never the key', async () => {
      const unknown = generateApiKey('default');
      await call(api, 'GET', '/probe/editor', { token: unknown });
      const rows = await auditRows(api, 'auth_failure', { reason: 'invalid', route: 'GET /probe/editor' });
      expect(rows.length).toBeGreaterThanOrEqual(1);
      const row = rows[rows.length - 1]!;
      expect(row).toMatchObject({ outcome: 'failure', zone_id: null, actor_id: null });
      expect(row.details).toMatchObject({ reason: 'invalid', route: 'GET /probe/editor', ip: CLIENT_IP });
      expect(row.details.keyPrefix).toBe(unknown.slice(0, 'nx_default_'.length + 6));
      expect(JSON.stringify(row.details)).not.toContain(unknown);
    });
  });

  it('refuses a revoked key with CREDENTIALS_REVOKED at once, and audits the revocation', async () => {
    const created = await createKey(api, adminKey, { role: 'editor' });
    expect((await whoami(created.key)).status).toBe(200);

    const revoked = await call(api, 'DELETE', `/api/v1/auth/keys/${created.id}`, { token: adminKey });
    expect(revoked.status).toBe(204);
    expect((await whoami(created.key)).body).toMatchObject({ error: 'CREDENTIALS_REVOKED' });
    // revoking twice is fine
    expect((await call(api, 'DELETE', `/api/v1/auth/keys/${created.id}`, { token: adminKey })).status).toBe(
      204,
    );

    const audit = await auditRows(api, 'auth_success', { event: 'key_revoked', revokedKeyId: created.id });
    expect(audit).toHaveLength(1);
    expect(audit[0]?.details).toMatchObject({ keyPrefix: created.keyPrefix, role: 'admin' });
    expect(
      await auditRows(api, 'auth_failure', { reason: 'revoked', keyPrefix: created.keyPrefix }),
    ).toHaveLength(1);
  });

  it('answers 404 for revoking a key of another zone or no key at all', async () => {
    const zone = await createZone(api, adminKey, 'revoke-elsewhere');
    const foreign = await createKey(api, adminKey, { role: 'viewer' }, { 'x-nexus-zone-id': zone.id });
    const localAdmin = await createKey(api, adminKey, { role: 'admin' });
    const attempt = await call(api, 'DELETE', `/api/v1/auth/keys/${foreign.id}`, { token: localAdmin.key });
    expect(attempt.status).toBe(404);
    expect(attempt.body).toMatchObject({ error: 'API_KEY_NOT_FOUND' });
    expect((await whoami(foreign.key)).status).toBe(200);
    const listed = await call<{ items: { id: string }[] }>(api, 'GET', '/api/v1/auth/keys?limit=1000', {
      token: localAdmin.key,
    });
    expect(listed.body.items.map((item) => item.id)).not.toContain(foreign.id);
    expect((await call(api, 'DELETE', `/api/v1/auth/keys/${randomUUID()}`, { token: adminKey })).status).toBe(
      404,
    );
    expect((await call(api, 'DELETE', '/api/v1/auth/keys/not-a-uuid', { token: adminKey })).status).toBe(400);
  });

  it('refuses a key whose expiry has passed with CREDENTIALS_EXPIRED', async () => {
    const created = await createKey(api, adminKey, { role: 'viewer' });
    await sql("UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = $1", [created.id]);
    expect((await whoami(created.key)).body).toMatchObject({ error: 'CREDENTIALS_EXPIRED' });
  });

  it('accepts a key until its expiry, and refuses creating one already expired', async () => {
    const soon = new Date(Date.now() + 1_500).toISOString();
    const created = await createKey(api, adminKey, { role: 'viewer', expiresAt: soon });
    expect((await whoami(created.key)).status).toBe(200);
    await sleep(1_600);
    expect((await whoami(created.key)).body).toMatchObject({ error: 'CREDENTIALS_EXPIRED' });

    const past = await call(api, 'POST', '/api/v1/auth/keys', {
      token: adminKey,
      body: {
        name: 'x',
        subjectType: 'agent',
        subjectId: 'a',
        role: 'viewer',
        expiresAt: new Date(Date.now() - 1000).toISOString(),
      },
    });
    expect(past.status).toBe(400);
  });

  it('refuses a disabled user’s key with SUBJECT_DISABLED immediately, and accepts it again once enabled', async () => {
    const user = await call<{ id: string }>(api, 'POST', '/api/v1/users', {
      token: adminKey,
      body: { email: 'disable.me@example.com', displayName: 'Disable Me' },
    });
    expect(user.status).toBe(201);
    const created = await createKey(api, adminKey, {
      role: 'editor',
      subjectType: 'user',
      subjectId: user.body.id,
    });
    const token = await exchangeToken(api, created.key);
    expect((await whoami(created.key)).body).toMatchObject({ subjectType: 'user', subjectId: user.body.id });
    expect((await whoami(token)).status).toBe(200);

    const patch = (disabled: boolean) =>
      call(api, 'PATCH', `/api/v1/users/${user.body.id}`, { token: adminKey, body: { disabled } });
    expect((await patch(true)).body).toMatchObject({ disabled: true });
    expect((await whoami(created.key)).body).toMatchObject({ error: 'SUBJECT_DISABLED' });
    expect((await whoami(token)).body).toMatchObject({ error: 'SUBJECT_DISABLED' });
    // a disabled user gets no new keys either
    const another = await call(api, 'POST', '/api/v1/auth/keys', {
      token: adminKey,
      body: { name: 'x', subjectType: 'user', subjectId: user.body.id, role: 'viewer' },
    });
    expect(another.status).toBe(409);

    await patch(false);
    expect((await whoami(created.key)).status).toBe(200);
  });

  it('refuses a key for a user of another zone or no user', async () => {
    const response = await call(api, 'POST', '/api/v1/auth/keys', {
      token: adminKey,
      body: { name: 'x', subjectType: 'user', subjectId: randomUUID(), role: 'viewer' },
    });
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ error: 'USER_NOT_FOUND' });
  });

  describe('zones through X-Nexus-Zone-ID', () => {
    let other: { id: string; name: string };

    beforeAll(async () => {
      other = await createZone(api, adminKey, 'other-zone');
    });

    it('refuses a non-superuser naming a foreign zone with 403 ZONE_FORBIDDEN and audits it', async () => {
      const created = await createKey(api, adminKey, { role: 'admin' });
      for (const zoneId of [other.id, randomUUID(), 'not-a-uuid']) {
        const response = await whoami(created.key, { 'x-nexus-zone-id': zoneId });
        expect(response.status).toBe(403);
        expect(response.body).toMatchObject({ error: 'ZONE_FORBIDDEN' });
        const rows = await auditRows(api, 'auth_denied', { keyId: created.id, requestedZoneId: zoneId });
        expect(rows).toHaveLength(1);
        expect(rows[0]).toMatchObject({ zone_id: created.zoneId, actor_id: created.subjectId });
        expect(rows[0]?.details).toMatchObject({
          route: 'GET /api/v1/auth/whoami',
          keyPrefix: created.keyPrefix,
        });
      }
      // naming its own zone is fine
      expect((await whoami(created.key, { 'x-nexus-zone-id': created.zoneId })).status).toBe(200);
    });

    it('refuses the same with an access token', async () => {
      const created = await createKey(api, adminKey, { role: 'viewer' });
      const token = await exchangeToken(api, created.key);
      expect((await whoami(token, { 'x-nexus-zone-id': other.id })).body).toMatchObject({
        error: 'ZONE_FORBIDDEN',
      });
    });

    it('lets the superuser act in another zone', async () => {
      const response = await whoami(adminKey, { 'x-nexus-zone-id': other.id });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ zoneId: other.id, superuser: true, role: 'admin' });

      // what it creates there belongs to that zone
      const key = await createKey(api, adminKey, { role: 'viewer' }, { 'x-nexus-zone-id': other.id });
      expect(key.zoneId).toBe(other.id);
      expect(key.key.startsWith('nx_other-zone_')).toBe(true);
      expect((await whoami(key.key)).body).toMatchObject({ zoneId: other.id, superuser: false });
    });

    it('refuses the superuser naming an unknown zone with 403', async () => {
      for (const zoneId of [randomUUID(), 'default', 'not-a-uuid']) {
        const response = await whoami(adminKey, { 'x-nexus-zone-id': zoneId });
        expect(response.status).toBe(403);
        expect(response.body).toMatchObject({ error: 'ZONE_FORBIDDEN' });
      }
    });
  });
});
