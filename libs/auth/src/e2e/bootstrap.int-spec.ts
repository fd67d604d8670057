import { createTestDatabase } from '@nexus/storage-models/testing';
import type { TestDatabase } from '@nexus/storage-models/testing';
import { Client } from 'pg';
import { AuthBootstrap } from '../bootstrap/auth-bootstrap';
import { generateApiKey } from '../keys/api-key-format';
import { bootstrapKeyFrom, call, startApp } from '../testing';
import type { AuthTestApp } from '../testing';

const PRINTED = 'Bootstrap superuser key created';

async function query<T = Record<string, unknown>>(
  url: string,
  sql: string,
  parameters: unknown[] = [],
): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, parameters)).rows as T[];
  } finally {
    await client.end();
  }
}

async function counts(url: string): Promise<{ zones: number; bootstrapKeys: number; keys: number }> {
  const [row] = await query<{ zones: number; bootstrapKeys: number; keys: number }>(
    url,
    `SELECT (SELECT count(*)::int FROM zones) AS zones,
            (SELECT count(*)::int FROM api_keys WHERE bootstrap) AS "bootstrapKeys",
            (SELECT count(*)::int FROM api_keys) AS keys`,
  );
  return row!;
}

const whoami = (api: AuthTestApp, token: string) => call(api, 'GET', '/api/v1/auth/whoami', { token });
const occurrences = (text: string, needle: string) => text.split(needle).length - 1;

describe('bootstrap: the first superuser key', () => {
  describe('without NEXUS_ADMIN_KEY', () => {
    let database: TestDatabase;
    let first: AuthTestApp;
    let generated: string;
    const apps: AuthTestApp[] = [];
    const start = async (env: Record<string, string> = {}) => {
      const api = await startApp(database.url, env);
      apps.push(api);
      return api;
    };

    beforeAll(async () => {
      database = await createTestDatabase('nexus_auth_bootstrap');
      first = await start();
      generated = bootstrapKeyFrom(first.logs);
    });

    afterAll(async () => {
      for (const api of apps) await api.close();
      await database?.drop();
    });

    it('creates zone default and one superuser key, printed in exactly one log line', async () => {
      expect(await counts(database.url)).toEqual({ zones: 1, bootstrapKeys: 1, keys: 1 });
      expect(await query(database.url, 'SELECT name FROM zones')).toEqual([{ name: 'default' }]);
      const [key] = await query(database.url, 'SELECT role, superuser, revoked_at, key_hash FROM api_keys');
      expect(key).toMatchObject({ role: 'admin', superuser: true, revoked_at: null });
      expect(first.logs.lines.filter((line) => line.includes(generated))).toHaveLength(1);
      expect(occurrences(first.logs.text(), PRINTED)).toBe(1);
      expect((await whoami(first, generated)).body).toMatchObject({ superuser: true, role: 'admin' });
    });

    it('creates nothing when run again, one after the other or concurrently', async () => {
      const bootstrap = first.app.get(AuthBootstrap);
      await bootstrap.run();
      await Promise.all([bootstrap.run(), bootstrap.run(), bootstrap.run()]);
      expect(await counts(database.url)).toEqual({ zones: 1, bootstrapKeys: 1, keys: 1 });
      expect(occurrences(first.logs.text(), PRINTED)).toBe(1);
    });

    it('creates and prints nothing on a restart', async () => {
      const second = await start();
      expect(() => bootstrapKeyFrom(second.logs)).toThrow('no bootstrap key');
      expect(second.logs.text()).not.toContain(generated);
      expect(await counts(database.url)).toEqual({ zones: 1, bootstrapKeys: 1, keys: 1 });
      expect((await whoami(second, generated)).status).toBe(200);
    });

    it('leaves a revoked bootstrap key revoked, and makes no new one', async () => {
      const me = await whoami(first, generated);
      const revoke = await call(first, 'DELETE', `/api/v1/auth/keys/${String(me.body.keyId)}`, {
        token: generated,
      });
      expect(revoke.status).toBe(204);
      expect((await whoami(first, generated)).body).toMatchObject({ error: 'CREDENTIALS_REVOKED' });

      await first.app.get(AuthBootstrap).run();
      const third = await start();
      expect(() => bootstrapKeyFrom(third.logs)).toThrow('no bootstrap key');
      expect(await counts(database.url)).toEqual({ zones: 1, bootstrapKeys: 1, keys: 1 });
      expect((await whoami(third, generated)).body).toMatchObject({ error: 'CREDENTIALS_REVOKED' });
    });

    it('re-enables the revoked bootstrap key when NEXUS_ADMIN_KEY names it', async () => {
      const api = await start({ NEXUS_ADMIN_KEY: generated });
      expect((await whoami(api, generated)).body).toMatchObject({ superuser: true, role: 'admin' });
      expect(await counts(database.url)).toEqual({ zones: 1, bootstrapKeys: 1, keys: 1 });
      expect(api.logs.text()).toMatch(/Bootstrap key nx_default_\S{6} re-enabled/);
      expect(api.logs.text()).not.toContain(generated);
    });
  });

  describe('with NEXUS_ADMIN_KEY', () => {
    let database: TestDatabase;
    const apps: AuthTestApp[] = [];
    const start = async (env: Record<string, string> = {}) => {
      const api = await startApp(database.url, env);
      apps.push(api);
      return api;
    };

    beforeAll(async () => {
      database = await createTestDatabase('nexus_auth_admin_key');
    });

    afterAll(async () => {
      for (const api of apps) await api.close();
      await database?.drop();
    });

    const configured = generateApiKey('default');

    it('registers that key instead of generating one, and never prints it', async () => {
      const api = await start({ NEXUS_ADMIN_KEY: configured });
      expect(() => bootstrapKeyFrom(api.logs)).toThrow('no bootstrap key');
      expect(api.logs.text()).not.toContain(configured);
      expect(api.logs.text()).toContain(`Registered NEXUS_ADMIN_KEY (${configured.slice(0, 17)})`);
      expect(await counts(database.url)).toEqual({ zones: 1, bootstrapKeys: 1, keys: 1 });
      expect((await whoami(api, configured)).body).toMatchObject({
        superuser: true,
        role: 'admin',
        subjectType: 'service',
      });
    });

    it('creates zone default even when NEXUS_ADMIN_KEY belongs to another zone', async () => {
      const other = await createTestDatabase('nexus_auth_admin_ops');
      try {
        const opsKey = generateApiKey('ops');
        const api = await startApp(other.url, { NEXUS_ADMIN_KEY: opsKey });
        try {
          const zones = await query<{ name: string }>(other.url, 'SELECT name FROM zones ORDER BY name');
          expect(zones.map((zone) => zone.name)).toEqual(['default', 'ops']);
          expect((await whoami(api, opsKey)).body).toMatchObject({ superuser: true });
        } finally {
          await api.close();
        }
      } finally {
        await other.drop();
      }
    });

    it('registers it once, however often it starts', async () => {
      const api = await start({ NEXUS_ADMIN_KEY: configured });
      await api.app.get(AuthBootstrap).run();
      await Promise.all([api.app.get(AuthBootstrap).run(), api.app.get(AuthBootstrap).run()]);
      expect(await counts(database.url)).toEqual({ zones: 1, bootstrapKeys: 1, keys: 1 });
      expect(api.logs.text()).not.toContain('Registered NEXUS_ADMIN_KEY');
    });

    it('re-enables it after a revocation, but only when NEXUS_ADMIN_KEY names it', async () => {
      const api = await start({ NEXUS_ADMIN_KEY: configured });
      const me = await whoami(api, configured);
      await call(api, 'DELETE', `/api/v1/auth/keys/${String(me.body.keyId)}`, { token: configured });
      expect((await whoami(api, configured)).body).toMatchObject({ error: 'CREDENTIALS_REVOKED' });

      // a start without NEXUS_ADMIN_KEY neither re-enables it nor makes another
      const without = await start();
      expect(() => bootstrapKeyFrom(without.logs)).toThrow('no bootstrap key');
      expect((await whoami(without, configured)).body).toMatchObject({ error: 'CREDENTIALS_REVOKED' });
      expect(await counts(database.url)).toEqual({ zones: 1, bootstrapKeys: 1, keys: 1 });

      const again = await start({ NEXUS_ADMIN_KEY: configured });
      expect((await whoami(again, configured)).body).toMatchObject({ superuser: true });
      expect(await counts(database.url)).toEqual({ zones: 1, bootstrapKeys: 1, keys: 1 });
    });

    it('registers a second configured key next to the first without touching it', async () => {
      const replacement = generateApiKey('default');
      const api = await start({ NEXUS_ADMIN_KEY: replacement });
      expect((await whoami(api, replacement)).body).toMatchObject({ superuser: true });
      expect((await whoami(api, configured)).body).toMatchObject({ superuser: true });
      expect(await counts(database.url)).toEqual({ zones: 1, bootstrapKeys: 2, keys: 2 });
    });

    it('creates the zone a configured key names', async () => {
      const opsKey = generateApiKey('ops');
      const api = await start({ NEXUS_ADMIN_KEY: opsKey });
      const me = await whoami(api, opsKey);
      const [ops] = await query<{ id: string }>(database.url, "SELECT id FROM zones WHERE name = 'ops'");
      expect(me.body).toMatchObject({ superuser: true, zoneId: ops?.id });
    });

    it('refuses to start with a NEXUS_ADMIN_KEY that is not a key', async () => {
      await expect(startApp(database.url, { NEXUS_ADMIN_KEY: 'hunter2' })).rejects.toThrow(/NEXUS_ADMIN_KEY/);
    });
  });

  it('makes one key when two processes start together on an empty database', async () => {
    const database = await createTestDatabase('nexus_auth_bootstrap_race');
    const apps = await Promise.all([startApp(database.url), startApp(database.url)]);
    try {
      expect(await counts(database.url)).toEqual({ zones: 1, bootstrapKeys: 1, keys: 1 });
      const printed = apps.map((api) => occurrences(api.logs.text(), PRINTED));
      expect(printed.sort()).toEqual([0, 1]);
    } finally {
      for (const api of apps) await api.close();
      await database.drop();
    }
  });
});
