import { randomBytes, randomUUID } from 'node:crypto';
import { createTestDatabase } from '@nexus/storage-models/testing';
import type { TestDatabase } from '@nexus/storage-models/testing';
import { bootstrapKeyFrom, call, createKey, dataSourceOf, exchangeToken, startApp } from '../testing';
import type { AuthTestApp, CreatedKey } from '../testing';

const ENCRYPTION_KEY = randomBytes(32).toString('base64');

interface Credential {
  id: string;
  provider: string;
  accountId: string;
  ownerSubjectId: string;
  hasRefreshToken: boolean;
  accessToken?: string;
  refreshToken?: string | null;
}

describe('credential vault over HTTP', () => {
  let database: TestDatabase;
  let api: AuthTestApp;
  let adminKey: string;
  let owner: CreatedKey;
  let colleague: CreatedKey;
  let zoneAdmin: CreatedKey;

  beforeAll(async () => {
    database = await createTestDatabase('nexus_auth_vault');
    api = await startApp(database.url, { NEXUS_ENCRYPTION_KEY: ENCRYPTION_KEY });
    adminKey = bootstrapKeyFrom(api.logs);
    owner = await createKey(api, adminKey, { role: 'editor' });
    colleague = await createKey(api, adminKey, { role: 'operator' });
    zoneAdmin = await createKey(api, adminKey, { role: 'admin' });
  });

  afterAll(async () => {
    await api?.close();
    await database?.drop();
  });

  const store = (token: string, body: Record<string, unknown>) =>
    call<Credential>(api, 'POST', '/api/v1/auth/credentials', { token, body });
  const reveal = (token: string, id: string) =>
    call<Credential>(api, 'GET', `/api/v1/auth/credentials/${id}`, { token });
  const list = (token: string) =>
    call<{ items: Credential[] }>(api, 'GET', '/api/v1/auth/credentials', { token });
  const sql = (query: string, parameters: unknown[] = []) => dataSourceOf(api).query(query, parameters);

  it('stores tokens encrypted and reveals them to their owner', async () => {
    const stored = await store(owner.key, {
      provider: 'github',
      accountId: 'octocat',
      accessToken: 'gho_roundtrip_access_secret',
      refreshToken: 'ghr_roundtrip_refresh_secret',
      scopes: ['repo'],
    });
    expect(stored.status).toBe(200);
    expect(stored.body).toMatchObject({ provider: 'github', accountId: 'octocat', hasRefreshToken: true });
    expect(stored.text).not.toContain('roundtrip');

    const [row] = (await sql(
      'SELECT access_token_ciphertext, refresh_token_ciphertext FROM oauth_credentials WHERE id = $1',
      [stored.body.id],
    )) as { access_token_ciphertext: Buffer; refresh_token_ciphertext: Buffer }[];
    expect(row?.access_token_ciphertext.toString('latin1')).not.toContain('gho_roundtrip');
    expect(row?.refresh_token_ciphertext.toString('latin1')).not.toContain('ghr_roundtrip');

    const revealed = await reveal(owner.key, stored.body.id);
    expect(revealed.status).toBe(200);
    expect(revealed.body).toMatchObject({
      accessToken: 'gho_roundtrip_access_secret',
      refreshToken: 'ghr_roundtrip_refresh_secret',
      scopes: ['repo'],
    });
    // the owner's access token (JWT) is the same owner
    expect((await reveal(await exchangeToken(api, owner.key), stored.body.id)).status).toBe(200);
  });

  it('replaces the tokens of the same provider account instead of adding a row', async () => {
    const first = await store(owner.key, { provider: 'gitlab', accountId: 'me', accessToken: 'first-token' });
    const second = await store(owner.key, {
      provider: 'gitlab',
      accountId: 'me',
      accessToken: 'second-token',
    });
    expect(second.body.id).toBe(first.body.id);
    expect(second.body.hasRefreshToken).toBe(false);
    expect((await reveal(owner.key, first.body.id)).body).toMatchObject({
      accessToken: 'second-token',
      refreshToken: null,
    });
  });

  it('lists without secrets: the owner its own, a zone admin all', async () => {
    await store(colleague.key, {
      provider: 'slack',
      accountId: 'colleague',
      accessToken: 'xoxb-colleague-secret',
    });
    const mine = await list(owner.key);
    expect(mine.status).toBe(200);
    expect(mine.body.items.length).toBeGreaterThan(0);
    expect(mine.body.items.every((item) => item.ownerSubjectId === owner.subjectId)).toBe(true);
    const all = await list(zoneAdmin.key);
    expect(new Set(all.body.items.map((item) => item.ownerSubjectId))).toEqual(
      new Set([owner.subjectId, colleague.subjectId]),
    );
    for (const response of [mine, all]) {
      for (const item of response.body.items) {
        expect(item).not.toHaveProperty('accessToken');
        expect(item).not.toHaveProperty('refreshToken');
        expect(item).not.toHaveProperty('accessTokenCiphertext');
      }
      expect(response.text).not.toMatch(/secret|first-token|second-token/);
    }
  });

  it('reveals to the owner or a zone admin only; others get 404 as for a missing id', async () => {
    const stored = await store(owner.key, {
      provider: 'google',
      accountId: 'owner',
      accessToken: 'ya29.owner-secret',
    });
    expect((await reveal(zoneAdmin.key, stored.body.id)).body).toMatchObject({
      accessToken: 'ya29.owner-secret',
    });

    const other = await reveal(colleague.key, stored.body.id);
    const missing = await reveal(colleague.key, randomUUID());
    expect(other.status).toBe(404);
    expect(other.body).toMatchObject({ error: 'CREDENTIAL_NOT_FOUND' });
    expect(missing.status).toBe(404);
    expect(other.text).not.toContain('owner-secret');
    // nor can they delete it
    expect(
      (await call(api, 'DELETE', `/api/v1/auth/credentials/${stored.body.id}`, { token: colleague.key }))
        .status,
    ).toBe(404);
    expect((await reveal(owner.key, stored.body.id)).status).toBe(200);
  });

  it('keeps credentials inside their zone, even from the zone’s admin elsewhere', async () => {
    const stored = await store(owner.key, {
      provider: 'dropbox',
      accountId: 'zone',
      accessToken: 'zone-secret',
    });
    const zone = await call<{ id: string }>(api, 'POST', '/api/v1/zones', {
      token: adminKey,
      body: { name: 'vault-other' },
    });
    const foreignAdmin = await createKey(
      api,
      adminKey,
      { role: 'admin' },
      { 'x-nexus-zone-id': zone.body.id },
    );
    expect((await reveal(foreignAdmin.key, stored.body.id)).status).toBe(404);
    expect((await list(foreignAdmin.key)).body.items).toEqual([]);
  });

  it('answers a tampered ciphertext with 500 CREDENTIAL_INTEGRITY_FAILED, never garbage', async () => {
    const stored = await store(owner.key, {
      provider: 'tamper',
      accountId: 'a',
      accessToken: 'tamper-plain-secret',
    });
    await sql(
      `UPDATE oauth_credentials
          SET access_token_ciphertext = set_byte(access_token_ciphertext, 40, get_byte(access_token_ciphertext, 40) # 1)
        WHERE id = $1`,
      [stored.body.id],
    );
    const response = await reveal(owner.key, stored.body.id);
    expect(response.status).toBe(500);
    expect(response.body).toMatchObject({
      error: 'CREDENTIAL_INTEGRITY_FAILED',
      details: { credentialId: stored.body.id },
    });
    expect(response.body).not.toHaveProperty('accessToken');
    expect(response.text).not.toContain('tamper-plain');
  });

  it('refuses a ciphertext swapped in from another row (bound to its credential id)', async () => {
    const a = await store(owner.key, { provider: 'swap', accountId: 'a', accessToken: 'swap-secret-a' });
    const b = await store(owner.key, { provider: 'swap', accountId: 'b', accessToken: 'swap-secret-b' });
    await sql(
      `UPDATE oauth_credentials SET access_token_ciphertext =
         (SELECT access_token_ciphertext FROM oauth_credentials WHERE id = $2) WHERE id = $1`,
      [a.body.id, b.body.id],
    );
    const response = await reveal(owner.key, a.body.id);
    expect(response.status).toBe(500);
    expect(response.body).toMatchObject({ error: 'CREDENTIAL_INTEGRITY_FAILED' });
    expect(response.text).not.toContain('swap-secret');
    expect((await reveal(owner.key, b.body.id)).body).toMatchObject({ accessToken: 'swap-secret-b' });
  });

  it('refuses a ciphertext swapped between the fields of one row', async () => {
    const stored = await store(owner.key, {
      provider: 'fields',
      accountId: 'a',
      accessToken: 'field-access-secret',
      refreshToken: 'field-refresh-secret',
    });
    await sql(
      'UPDATE oauth_credentials SET refresh_token_ciphertext = access_token_ciphertext WHERE id = $1',
      [stored.body.id],
    );
    const response = await reveal(owner.key, stored.body.id);
    expect(response.body).toMatchObject({ error: 'CREDENTIAL_INTEGRITY_FAILED' });
    expect(response.text).not.toContain('field-');
  });

  it('validates what it stores', async () => {
    for (const body of [
      { provider: 'GitHub', accountId: 'a', accessToken: 't' },
      { provider: 'github', accountId: '', accessToken: 't' },
      { provider: 'github', accountId: 'a' },
      { provider: 'github', accountId: 'a', accessToken: 't', extra: 1 },
    ]) {
      expect((await store(owner.key, body)).status).toBe(400);
    }
    const viewer = await createKey(api, adminKey, { role: 'viewer' });
    expect((await store(viewer.key, { provider: 'github', accountId: 'v', accessToken: 't' })).status).toBe(
      403,
    );
  });

  it('answers a forged list cursor with 400', async () => {
    const cursor = Buffer.from(JSON.stringify({ id: 'not-a-uuid' })).toString('base64url');
    const response = await call(api, 'GET', `/api/v1/auth/credentials?cursor=${cursor}`, {
      token: owner.key,
    });
    expect(response.status).toBe(400);
  });

  describe('without NEXUS_ENCRYPTION_KEY', () => {
    let keyless: AuthTestApp;

    beforeAll(async () => {
      keyless = await startApp(database.url);
    });

    afterAll(async () => {
      await keyless?.close();
    });

    it('answers 503 VAULT_UNAVAILABLE naming NEXUS_ENCRYPTION_KEY on every vault route', async () => {
      const id = randomUUID();
      for (const [method, path, body] of [
        ['GET', '/api/v1/auth/credentials', undefined],
        ['GET', `/api/v1/auth/credentials/${id}`, undefined],
        ['DELETE', `/api/v1/auth/credentials/${id}`, undefined],
        ['POST', '/api/v1/auth/credentials', { provider: 'github', accountId: 'a', accessToken: 't' }],
      ] as const) {
        const response = await call(keyless, method, path, { token: owner.key, body });
        expect(response.status).toBe(503);
        expect(response.body).toMatchObject({ error: 'VAULT_UNAVAILABLE' });
        expect(String(response.body.message)).toContain('NEXUS_ENCRYPTION_KEY');
      }
    });

    it('serves the rest of the API', async () => {
      expect((await call(keyless, 'GET', '/api/v1/auth/whoami', { token: owner.key })).status).toBe(200);
      expect((await call(keyless, 'GET', '/api/v1/auth/keys', { token: adminKey })).status).toBe(200);
    });
  });
});
