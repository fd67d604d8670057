import { createTestDatabase } from '@nexus/storage-models/testing';
import type { TestDatabase } from '@nexus/storage-models/testing';
import jwt from 'jsonwebtoken';
import { generateApiKey } from '../keys/api-key-format';
import { auditRows, bootstrapKeyFrom, call, createKey, dataSourceOf, startApp } from '../testing';
import type { AuthTestApp, CreatedKey } from '../testing';

// The secret startAuthTestApp configures.
const TEST_SECRET = 'test-secret-test-secret-test-secret-0123';
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

interface TokenBody {
  accessToken: string;
  tokenType: string;
  expiresIn: number;
}

describe('access tokens (JWT) over HTTP', () => {
  let database: TestDatabase;
  let api: AuthTestApp;
  let adminKey: string;
  let editor: CreatedKey;

  beforeAll(async () => {
    database = await createTestDatabase('nexus_auth_jwt');
    api = await startApp(database.url, { NEXUS_JWT_EXPIRY_MINUTES: '5' });
    adminKey = bootstrapKeyFrom(api.logs);
    editor = await createKey(api, adminKey, { role: 'editor' });
  });

  afterAll(async () => {
    await api?.close();
    await database?.drop();
  });

  const exchange = (apiKey: unknown) =>
    call<TokenBody>(api, 'POST', '/api/v1/auth/token', { body: { apiKey } });
  const whoami = (token: string) => call(api, 'GET', '/api/v1/auth/whoami', { token });
  const refresh = (token: string) => call<TokenBody>(api, 'POST', '/api/v1/auth/token/refresh', { token });
  /** Claims a real token of `key` would carry, for hand-made tokens. */
  const claimsOf = (key: CreatedKey) => ({
    sub: key.subjectId,
    st: key.subjectType,
    zid: key.zoneId,
    role: key.role,
    kid: key.id,
  });

  it('describes the accepted schemes to anyone, counted against the client IP', async () => {
    const response = await call(api, 'GET', '/api/v1/auth/schemes');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      schemes: ['api_key', 'jwt'],
      apiKeyFormat: 'nx_<zone>_<secret>',
      tokenEndpoint: '/api/v1/auth/token',
      tokenAlgorithm: 'HS256',
      tokenLifetimeSeconds: 300,
    });
    expect(response.headers['x-ratelimit-limit']).toBeDefined();
  });

  it('exchanges an API key for a Bearer token that authenticates as the key', async () => {
    const response = await exchange(editor.key);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ tokenType: 'Bearer', expiresIn: 300 });
    const { header, payload } = jwt.decode(response.body.accessToken, { complete: true }) as jwt.Jwt;
    expect(header.alg).toBe('HS256');
    expect(payload).toMatchObject({ ...claimsOf(editor) });
    expect(JSON.stringify(payload)).not.toContain(editor.key);

    const me = await whoami(response.body.accessToken);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      subjectId: editor.subjectId,
      zoneId: editor.zoneId,
      role: 'editor',
      keyId: editor.id,
    });

    const audit = await auditRows(api, 'auth_success', { event: 'token_issued', keyId: editor.id });
    expect(audit.length).toBeGreaterThanOrEqual(1);
    expect(audit[0]?.details).toMatchObject({
      keyPrefix: editor.keyPrefix,
      route: 'POST /api/v1/auth/token',
      role: 'editor',
    });
  });

  it('refuses to exchange an unknown, malformed or missing key, and audits the failure', async () => {
    const unknown = generateApiKey('default');
    expect((await exchange(unknown)).body).toMatchObject({ error: 'CREDENTIALS_INVALID' });
    expect((await exchange('not-a-key')).body).toMatchObject({ error: 'CREDENTIALS_INVALID' });
    expect((await exchange('')).status).toBe(400);
    expect((await exchange(42)).status).toBe(400);
    expect((await call(api, 'POST', '/api/v1/auth/token', { body: {} })).status).toBe(400);
    const rows = await auditRows(api, 'auth_failure', {
      route: 'POST /api/v1/auth/token',
      reason: 'invalid',
    });
    expect(rows.map((row) => row.details.keyPrefix)).toEqual(
      expect.arrayContaining([unknown.slice(0, 17), 'nx_?']),
    );
  });

  it('refuses to exchange an access token for another', async () => {
    const token = (await exchange(editor.key)).body.accessToken;
    expect((await exchange(token)).body).toMatchObject({ error: 'CREDENTIALS_INVALID' });
  });

  it('refreshes a valid token into a new one with the same identity', async () => {
    const first = (await exchange(editor.key)).body.accessToken;
    const refreshed = await refresh(first);
    expect(refreshed.status).toBe(200);
    expect(refreshed.body).toMatchObject({ tokenType: 'Bearer', expiresIn: 300 });
    expect(refreshed.body.accessToken).not.toBe(first);
    expect((await whoami(refreshed.body.accessToken)).body).toMatchObject({
      keyId: editor.id,
      role: 'editor',
    });
  });

  it('refuses refresh with an API key: 400 REFRESH_NEEDS_TOKEN', async () => {
    const response = await refresh(editor.key);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: 'REFRESH_NEEDS_TOKEN' });
  });

  it('refuses alg none', async () => {
    const token = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claimsOf(editor), iat: now(), exp: now() + 300 })}.`;
    expect((await whoami(token)).body).toMatchObject({ error: 'CREDENTIALS_INVALID' });
    expect((await refresh(token)).status).toBe(401);
  });

  it('refuses a token signed with the wrong secret', async () => {
    const token = jwt.sign(claimsOf(editor), 'another-secret-another-secret-another-secret', {
      expiresIn: 300,
    });
    expect((await whoami(token)).body).toMatchObject({ error: 'CREDENTIALS_INVALID' });
  });

  it('refuses a token signed with the right secret but another algorithm', async () => {
    const token = jwt.sign(claimsOf(editor), TEST_SECRET, { algorithm: 'HS512', expiresIn: 300 });
    expect((await whoami(token)).body).toMatchObject({ error: 'CREDENTIALS_INVALID' });
  });

  it('accepts a token made with the test secret, so the refusals above are about what was changed', async () => {
    const token = jwt.sign(claimsOf(editor), TEST_SECRET, { algorithm: 'HS256', expiresIn: 300 });
    expect((await whoami(token)).status).toBe(200);
  });

  it('refuses a tampered token (role raised in the payload)', async () => {
    const [header, , signature] = (await exchange(editor.key)).body.accessToken.split('.');
    const forged = `${header}.${b64({ ...claimsOf(editor), role: 'admin', iat: now(), exp: now() + 300 })}.${signature}`;
    expect((await whoami(forged)).body).toMatchObject({ error: 'CREDENTIALS_INVALID' });
    expect((await call(api, 'GET', '/probe/admin', { token: forged })).status).toBe(401);
  });

  it('refuses an expired token with CREDENTIALS_EXPIRED, also for refresh', async () => {
    const token = jwt.sign({ ...claimsOf(editor), exp: now() - 10 }, TEST_SECRET, { algorithm: 'HS256' });
    expect((await whoami(token)).body).toMatchObject({ error: 'CREDENTIALS_EXPIRED' });
    expect((await refresh(token)).body).toMatchObject({ error: 'CREDENTIALS_EXPIRED' });
  });

  it('refuses a validly signed token that claims another zone or subject than its key', async () => {
    for (const change of [{ zid: '00000000-0000-4000-8000-000000000000' }, { sub: 'someone-else' }]) {
      const token = jwt.sign({ ...claimsOf(editor), ...change }, TEST_SECRET, { expiresIn: 300 });
      expect((await whoami(token)).body).toMatchObject({ error: 'CREDENTIALS_INVALID' });
    }
  });

  it('never lets a token outrank its key', async () => {
    const token = jwt.sign({ ...claimsOf(editor), role: 'admin' }, TEST_SECRET, { expiresIn: 300 });
    expect((await whoami(token)).body).toMatchObject({ role: 'editor' });
    expect((await call(api, 'GET', '/probe/admin', { token })).status).toBe(403);
  });

  it('refuses a token whose kid names no key (or no UUID) with 401, never a 500', async () => {
    for (const kid of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      const token = jwt.sign({ ...claimsOf(editor), kid }, TEST_SECRET, { expiresIn: 300 });
      expect((await whoami(token)).body).toMatchObject({ error: 'CREDENTIALS_INVALID' });
    }
  });

  it('stops the tokens of a revoked key, and refuses to refresh them', async () => {
    const key = await createKey(api, adminKey, { role: 'viewer' });
    const token = (await exchange(key.key)).body.accessToken;
    expect((await whoami(token)).status).toBe(200);
    await call(api, 'DELETE', `/api/v1/auth/keys/${key.id}`, { token: adminKey });
    expect((await whoami(token)).body).toMatchObject({ error: 'CREDENTIALS_REVOKED' });
    expect((await refresh(token)).body).toMatchObject({ error: 'CREDENTIALS_REVOKED' });
    expect((await exchange(key.key)).body).toMatchObject({ error: 'CREDENTIALS_REVOKED' });
  });

  it('stops the tokens of a key that expired after they were issued', async () => {
    const key = await createKey(api, adminKey, { role: 'viewer' });
    const token = (await exchange(key.key)).body.accessToken;
    await dataSourceOf(api).query(
      "UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = $1",
      [key.id],
    );
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // the key cache holds entries for 1 s
    expect((await whoami(token)).body).toMatchObject({ error: 'CREDENTIALS_EXPIRED' });
  });

  it('gives the superuser key a token that is still superuser, and acts in another zone with it', async () => {
    const token = (await exchange(adminKey)).body.accessToken;
    const zone = await call<{ id: string }>(api, 'POST', '/api/v1/zones', {
      token,
      body: { name: 'jwt-zone' },
    });
    expect(zone.status).toBe(201);
    const me = await call(api, 'GET', '/api/v1/auth/whoami', {
      token,
      headers: { 'x-nexus-zone-id': zone.body.id },
    });
    expect(me.body).toMatchObject({ superuser: true, zoneId: zone.body.id });
    // a refresh made while acting in another zone still names the key's own zone
    const refreshed = await call<TokenBody>(api, 'POST', '/api/v1/auth/token/refresh', {
      token,
      headers: { 'x-nexus-zone-id': zone.body.id },
    });
    const own = await whoami(adminKey);
    expect(jwt.decode(refreshed.body.accessToken)).toMatchObject({ zid: own.body.zoneId });
  });
});
