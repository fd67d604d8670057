import { ROLES } from '@nexus/core';
import type { Role } from '@nexus/core';
import { createTestDatabase } from '@nexus/storage-models/testing';
import type { TestDatabase } from '@nexus/storage-models/testing';
import { auditRows, bootstrapKeyFrom, call, createKey, exchangeToken, startApp } from '../testing';
import type { AuthTestApp, CreatedKey } from '../testing';

const PAIRS: Array<[Role, Role]> = ROLES.flatMap((held) =>
  ROLES.map((required): [Role, Role] => [held, required]),
);
const allowed = (held: Role, required: Role) => ROLES.indexOf(held) >= ROLES.indexOf(required);

describe('role gate (@MinRole) over HTTP', () => {
  let database: TestDatabase;
  let api: AuthTestApp;
  let adminKey: string;
  const keys = {} as Record<Role, CreatedKey>;
  const tokens = {} as Record<Role, string>;

  beforeAll(async () => {
    database = await createTestDatabase('nexus_auth_roles');
    api = await startApp(database.url);
    adminKey = bootstrapKeyFrom(api.logs);
    for (const role of ROLES) {
      keys[role] = await createKey(api, adminKey, { role });
      tokens[role] = await exchangeToken(api, keys[role].key);
    }
  });

  afterAll(async () => {
    await api?.close();
    await database?.drop();
  });

  it('tests all 16 pairs', () => {
    expect(PAIRS).toHaveLength(16);
  });

  describe.each(['api key', 'access token'] as const)('with an %s', (credential) => {
    it.each(PAIRS)('%s calling a route that needs %s', async (held, required) => {
      const token = credential === 'api key' ? keys[held].key : tokens[held];
      const response = await call(api, 'GET', `/probe/${required}`, { token });
      if (allowed(held, required)) {
        expect(response.status).toBe(200);
        expect(response.body).toMatchObject({ role: held, keyId: keys[held].id, superuser: false });
      } else {
        expect(response.status).toBe(403);
        expect(response.body).toMatchObject({
          error: 'ROLE_TOO_LOW',
          details: { requiredRole: required, role: held },
        });
      }
    });
  });

  it('audits every denial with key prefix, role, required role and route', async () => {
    for (const [held, required] of PAIRS.filter(([h, r]) => !allowed(h, r))) {
      const rows = await auditRows(api, 'auth_denied', { keyId: keys[held].id, requiredRole: required });
      // once with the API key, once with the access token
      expect(rows).toHaveLength(2);
      for (const row of rows) {
        expect(row).toMatchObject({
          outcome: 'denied',
          zone_id: keys[held].zoneId,
          actor_type: 'agent',
          actor_id: keys[held].subjectId,
        });
        expect(row.details).toMatchObject({
          keyPrefix: keys[held].keyPrefix,
          role: held,
          requiredRole: required,
          route: `GET /probe/${required}`,
        });
      }
    }
    const allowedPairs = PAIRS.filter(([h, r]) => allowed(h, r));
    for (const [held, required] of allowedPairs) {
      expect(
        await auditRows(api, 'auth_denied', { keyId: keys[held].id, requiredRole: required }),
      ).toHaveLength(0);
    }
  });

  it('lets the superuser bootstrap key through every gate', async () => {
    for (const role of ROLES) {
      const response = await call(api, 'GET', `/probe/${role}`, { token: adminKey });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ role: 'admin', superuser: true });
    }
  });

  it('serves public routes without credentials, and ignores credentials there', async () => {
    expect((await call(api, 'GET', '/probe/public')).status).toBe(200);
    expect((await call(api, 'GET', '/probe/public', { token: 'garbage' })).status).toBe(200);
  });

  it('guards every gated route against a missing credential', async () => {
    for (const role of ROLES) {
      const response = await call(api, 'GET', `/probe/${role}`);
      expect(response.status).toBe(401);
      expect(response.body).toMatchObject({ error: 'CREDENTIALS_MISSING' });
    }
  });

  it('guards the library’s own routes, whatever their role', async () => {
    for (const path of [
      '/api/v1/auth/whoami',
      '/api/v1/zones',
      '/api/v1/users',
      '/api/v1/auth/keys',
      '/api/v1/auth/credentials',
    ]) {
      expect((await call(api, 'GET', path)).status).toBe(401);
    }
    expect((await call(api, 'POST', '/api/v1/auth/token/refresh')).status).toBe(401);
  });

  it('refuses a non-admin on admin routes of the library (keys, users)', async () => {
    for (const role of ['viewer', 'editor', 'operator'] as const) {
      const list = await call(api, 'GET', '/api/v1/auth/keys', { token: keys[role].key });
      expect(list.status).toBe(403);
      const create = await call(api, 'POST', '/api/v1/users', {
        token: keys[role].key,
        body: { email: `${role}@example.com`, displayName: role },
      });
      expect(create.status).toBe(403);
    }
  });
});
