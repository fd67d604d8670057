import { randomBytes } from 'node:crypto';
import { createTestDatabase } from '@nexus/storage-models/testing';
import type { TestDatabase } from '@nexus/storage-models/testing';
import jwt from 'jsonwebtoken';
import { generateApiKey } from '../keys/api-key-format';
import { bootstrapKeyFrom, call, createKey, dataSourceOf, exchangeToken, startApp } from '../testing';
import type { AuthTestApp } from '../testing';

/**
 * Drives every flow that handles a secret — key creation, token exchange and
 * refresh, refused and revoked credentials, vault writes, reads and integrity
 * failures — at the most verbose log level, then looks for the secrets in the
 * captured log lines and in the audit log.
 */
describe('no secret in any log line or audit row', () => {
  let database: TestDatabase;
  let api: AuthTestApp;
  let bootstrapKey: string;
  const secrets: Array<[string, string]> = [];
  const remember = (label: string, value: string) => secrets.push([label, value]);
  const encryptionKey = randomBytes(32).toString('base64');
  const listings: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('nexus_auth_secrets');
    api = await startApp(database.url, {
      LOG_LEVEL: 'trace',
      NEXUS_ENCRYPTION_KEY: encryptionKey,
    });
    bootstrapKey = bootstrapKeyFrom(api.logs);

    // keys of every kind, used and refused
    const editor = await createKey(api, bootstrapKey, { role: 'editor' });
    const viewer = await createKey(api, bootstrapKey, { role: 'viewer', rateLimitPerMinute: 1 });
    remember('editor key', editor.key);
    remember('viewer key', viewer.key);
    await call(api, 'GET', '/probe/admin', { token: editor.key }); // denied
    await call(api, 'GET', '/probe/viewer', { token: viewer.key });
    await call(api, 'GET', '/probe/viewer', { token: viewer.key }); // rate limited
    await call(api, 'GET', '/api/v1/auth/whoami', { token: editor.key, headers: { 'x-nexus-zone-id': '7' } }); // zone forbidden

    const unknown = generateApiKey('default');
    remember('unknown key', unknown);
    await call(api, 'GET', '/probe/viewer', { token: unknown });
    await call(api, 'POST', '/api/v1/auth/token', { body: { apiKey: unknown } });
    await call(api, 'POST', '/api/v1/auth/token', { body: { apiKey: editor.key, extra: editor.key } }); // 400
    await call(api, 'POST', '/api/v1/auth/token', { body: { apiKey: [editor.key] } }); // 400

    // tokens: issued, refreshed, forged, refused after revocation
    const token = await exchangeToken(api, editor.key);
    remember('access token', token);
    const refreshed = await call<{ accessToken: string }>(api, 'POST', '/api/v1/auth/token/refresh', {
      token,
    });
    remember('refreshed token', refreshed.body.accessToken);
    const [header, payload] = token.split('.');
    const forged = `${header}.${payload}.${randomBytes(32).toString('base64url')}`;
    remember('forged token', forged);
    await call(api, 'GET', '/api/v1/auth/whoami', { token: forged });
    const expired = jwt.sign(
      { sub: 'x', exp: Math.floor(Date.now() / 1000) - 5 },
      'test-secret-test-secret-test-secret-0123',
    );
    remember('expired token', expired);
    await call(api, 'GET', '/api/v1/auth/whoami', { token: expired });

    const revoked = await createKey(api, bootstrapKey, { role: 'viewer' });
    remember('revoked key', revoked.key);
    const revokedToken = await exchangeToken(api, revoked.key);
    remember('revoked key token', revokedToken);
    await call(api, 'DELETE', `/api/v1/auth/keys/${revoked.id}`, { token: bootstrapKey });
    await call(api, 'GET', '/probe/viewer', { token: revoked.key });
    await call(api, 'GET', '/probe/viewer', { token: revokedToken });
    await call(api, 'POST', '/api/v1/auth/token', { body: { apiKey: revoked.key } });

    // the vault: stored, revealed, listed, tampered with
    const stored = await call<{ id: string }>(api, 'POST', '/api/v1/auth/credentials', {
      token: editor.key,
      body: {
        provider: 'github',
        accountId: 'octo',
        accessToken: 'gho_VAULT_ACCESS_PLAINTEXT',
        refreshToken: 'ghr_VAULT_REFRESH_PLAINTEXT',
      },
    });
    remember('vault access token', 'gho_VAULT_ACCESS_PLAINTEXT');
    remember('vault refresh token', 'ghr_VAULT_REFRESH_PLAINTEXT');
    await call(api, 'GET', `/api/v1/auth/credentials/${stored.body.id}`, { token: editor.key });
    remember('NEXUS_ENCRYPTION_KEY', encryptionKey);
    remember('NEXUS_JWT_SECRET', 'test-secret-test-secret-test-secret-0123');
    for (const path of [
      '/api/v1/auth/credentials',
      '/api/v1/auth/keys?limit=1000',
      '/api/v1/users',
      '/api/v1/zones',
    ]) {
      const listing = await call(api, 'GET', path, { token: bootstrapKey });
      expect(listing.status).toBe(200);
      listings.push(listing.text);
    }
    await dataSourceOf(api).query(
      'UPDATE oauth_credentials SET access_token_ciphertext = set_byte(access_token_ciphertext, 35, 0) WHERE id = $1',
      [stored.body.id],
    );
    const tampered = await call(api, 'GET', `/api/v1/auth/credentials/${stored.body.id}`, {
      token: editor.key,
    });
    expect(tampered.status).toBe(500);
    await call(api, 'POST', '/api/v1/auth/credentials', {
      token: editor.key,
      body: { provider: 'BAD', accountId: 'octo', accessToken: 'gho_INVALID_REQUEST_PLAINTEXT' },
    });
    remember('rejected vault token', 'gho_INVALID_REQUEST_PLAINTEXT');
  });

  afterAll(async () => {
    await api?.close();
    await database?.drop();
  });

  /** The secret part of a key or token: what must never be shown (prefixes may be). */
  const secretPart = (value: string) => (value.startsWith('nx_') ? value.slice(-30) : value);

  it('wrote plenty of log lines to look through, the integrity failure’s error among them', () => {
    expect(api.logs.lines.length).toBeGreaterThan(50);
    expect(
      api.logs.lines.some(
        (line) => line.includes('"level":"error"') && line.includes('CREDENTIAL_INTEGRITY_FAILED'),
      ),
    ).toBe(true);
  });

  it('prints the bootstrap key in exactly one log line', () => {
    expect(api.logs.lines.filter((line) => line.includes(secretPart(bootstrapKey)))).toHaveLength(1);
  });

  it('logs no other key, no access token and no vault plaintext', () => {
    const text = api.logs.text();
    for (const [label, value] of secrets) {
      expect({ label, found: text.includes(secretPart(value)) }).toEqual({ label, found: false });
    }
  });

  it('shows no key, token or vault secret in any list response', () => {
    const text = listings.join('\n');
    expect(text).toContain('keyPrefix'); // the lists are not empty
    for (const [label, value] of [...secrets, ['bootstrap key', bootstrapKey] as [string, string]]) {
      expect({ label, found: text.includes(secretPart(value)) }).toEqual({ label, found: false });
    }
  });

  it('logs no key hash', async () => {
    const rows: { key_hash: string }[] = await dataSourceOf(api).query('SELECT key_hash FROM api_keys');
    const text = api.logs.text();
    for (const row of rows) expect(text).not.toContain(row.key_hash.trim());
  });

  it('audits all of it without a secret in any details', async () => {
    const rows: { action: string; details: string }[] = await dataSourceOf(api).query(
      "SELECT action, details::text AS details FROM audit_log WHERE action LIKE 'auth_%'",
    );
    const actions = new Set(rows.map((row) => row.action));
    expect(actions).toEqual(new Set(['auth_success', 'auth_failure', 'auth_denied']));
    const all = rows.map((row) => row.details).join('\n');
    for (const [label, value] of [...secrets, ['bootstrap key', bootstrapKey] as [string, string]]) {
      expect({ label, found: all.includes(secretPart(value)) }).toEqual({ label, found: false });
    }
    const hashes: { key_hash: string }[] = await dataSourceOf(api).query('SELECT key_hash FROM api_keys');
    for (const row of hashes) expect(all).not.toContain(row.key_hash.trim());
  });
});
