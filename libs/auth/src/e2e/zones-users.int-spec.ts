import { randomUUID } from 'node:crypto';
import { createTestDatabase } from '@nexus/storage-models/testing';
import type { TestDatabase } from '@nexus/storage-models/testing';
import { bootstrapKeyFrom, call, createKey, createZone, startApp } from '../testing';
import type { AuthTestApp } from '../testing';

interface Zone {
  id: string;
  name: string;
  settings: Record<string, unknown>;
}
interface User {
  id: string;
  zoneId: string;
  email: string;
  displayName: string;
  disabled: boolean;
}

describe('zones and users over HTTP', () => {
  let database: TestDatabase;
  let api: AuthTestApp;
  let superuser: string;
  let defaultZone: Zone;

  beforeAll(async () => {
    database = await createTestDatabase('nexus_auth_zones_users');
    api = await startApp(database.url);
    superuser = bootstrapKeyFrom(api.logs);
    const me = await call(api, 'GET', '/api/v1/auth/whoami', { token: superuser });
    defaultZone = (
      await call<Zone>(api, 'GET', `/api/v1/zones/${String(me.body.zoneId)}`, { token: superuser })
    ).body;
  });

  afterAll(async () => {
    await api?.close();
    await database?.drop();
  });

  describe('zones', () => {
    it('lets the superuser create a zone with settings, and get it', async () => {
      const created = await call<Zone>(api, 'POST', '/api/v1/zones', {
        token: superuser,
        body: { name: 'research-1', settings: { quotaGb: 5 } },
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ name: 'research-1', settings: { quotaGb: 5 } });
      const got = await call<Zone>(api, 'GET', `/api/v1/zones/${created.body.id}`, { token: superuser });
      expect(got.body).toMatchObject({ id: created.body.id, name: 'research-1' });
    });

    it('refuses a duplicate name with 409 ZONE_EXISTS', async () => {
      await createZone(api, superuser, 'dup-zone');
      const again = await call(api, 'POST', '/api/v1/zones', {
        token: superuser,
        body: { name: 'dup-zone' },
      });
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({ error: 'ZONE_EXISTS' });
    });

    it.each([
      ['uppercase', { name: 'Research' }],
      ['a leading dash', { name: '-research' }],
      ['an underscore', { name: 're_search' }],
      ['a slash', { name: 'a/b' }],
      ['64 characters', { name: 'a'.repeat(64) }],
      ['an empty name', { name: '' }],
      ['no name', {}],
      ['settings that are not an object', { name: 'okname', settings: 'x' }],
      ['an unknown field', { name: 'okname', owner: 'me' }],
    ])('refuses a zone with %s (400)', async (_label, body) => {
      const response = await call(api, 'POST', '/api/v1/zones', { token: superuser, body });
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ error: 'VALIDATION_FAILED' });
    });

    it('accepts a 63-character slug', async () => {
      expect(
        (await call(api, 'POST', '/api/v1/zones', { token: superuser, body: { name: `z${'9'.repeat(62)}` } }))
          .status,
      ).toBe(201);
    });

    it('lets only the superuser create zones', async () => {
      const admin = await createKey(api, superuser, { role: 'admin' });
      const response = await call(api, 'POST', '/api/v1/zones', {
        token: admin.key,
        body: { name: 'not-mine' },
      });
      expect(response.status).toBe(403);
      expect(response.body).toMatchObject({ error: 'SUPERUSER_REQUIRED' });
    });

    it('lets exactly one of two concurrent creations of one zone win', async () => {
      const results = await Promise.all(
        [1, 2].map(() =>
          call(api, 'POST', '/api/v1/zones', { token: superuser, body: { name: 'race-zone' } }),
        ),
      );
      expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    });

    it('lists every zone to the superuser and only its own to anyone else', async () => {
      const all = await call<{ items: Zone[] }>(api, 'GET', '/api/v1/zones?limit=1000', { token: superuser });
      expect(all.body.items.map((zone) => zone.name)).toEqual(
        expect.arrayContaining(['default', 'research-1', 'dup-zone']),
      );
      const viewer = await createKey(api, superuser, { role: 'viewer' });
      const own = await call<{ items: Zone[] }>(api, 'GET', '/api/v1/zones', { token: viewer.key });
      expect(own.body.items.map((zone) => zone.id)).toEqual([defaultZone.id]);
    });

    it('pages zones by name', async () => {
      const names: string[] = [];
      let cursor: string | null = null;
      do {
        const query: string = cursor ? `?limit=2&cursor=${cursor}` : '?limit=2';
        const page = await call<{ items: Zone[]; nextCursor: string | null }>(
          api,
          'GET',
          `/api/v1/zones${query}`,
          { token: superuser },
        );
        names.push(...page.body.items.map((zone) => zone.name));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(names).toEqual([...names].sort());
      expect(new Set(names).size).toBe(names.length);
      expect(names).toContain('default');
    });

    it('answers 404 for a foreign zone, exactly as for a missing one', async () => {
      const foreign = await createZone(api, superuser, 'foreign');
      const viewer = await createKey(api, superuser, { role: 'admin' });
      const response = await call(api, 'GET', `/api/v1/zones/${foreign.id}`, { token: viewer.key });
      const missing = await call(api, 'GET', `/api/v1/zones/${randomUUID()}`, { token: viewer.key });
      expect(response.status).toBe(404);
      expect(missing.status).toBe(404);
      expect(response.body.error).toBe(missing.body.error);
      expect((await call(api, 'GET', `/api/v1/zones/${defaultZone.id}`, { token: viewer.key })).status).toBe(
        200,
      );
      expect((await call(api, 'GET', '/api/v1/zones/not-a-uuid', { token: viewer.key })).status).toBe(400);
    });
  });

  describe('users', () => {
    const createUser = (token: string, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
      call<User>(api, 'POST', '/api/v1/users', { token, body, headers });

    it('creates, gets, lists and updates a user in the caller’s zone', async () => {
      const created = await createUser(superuser, { email: 'Ada@Example.com', displayName: 'Ada' });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        email: 'Ada@Example.com',
        displayName: 'Ada',
        disabled: false,
        zoneId: defaultZone.id,
      });

      const got = await call<User>(api, 'GET', `/api/v1/users/${created.body.id}`, { token: superuser });
      expect(got.body).toMatchObject({ id: created.body.id });

      const viewer = await createKey(api, superuser, { role: 'viewer' });
      const listed = await call<{ items: User[] }>(api, 'GET', '/api/v1/users', { token: viewer.key });
      expect(listed.body.items.map((user) => user.id)).toContain(created.body.id);

      const patched = await call<User>(api, 'PATCH', `/api/v1/users/${created.body.id}`, {
        token: superuser,
        body: { displayName: 'Ada Lovelace', email: 'ada.l@example.com' },
      });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({
        displayName: 'Ada Lovelace',
        email: 'ada.l@example.com',
        disabled: false,
      });
    });

    it('refuses an email that differs only in case with 409 USER_EXISTS', async () => {
      await createUser(superuser, { email: 'grace@example.com', displayName: 'Grace' });
      const again = await createUser(superuser, { email: 'GRACE@Example.COM', displayName: 'Grace 2' });
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({ error: 'USER_EXISTS' });
    });

    it('refuses changing an email to one taken (in any case) with 409', async () => {
      await createUser(superuser, { email: 'taken@example.com', displayName: 'Taken' });
      const other = await createUser(superuser, { email: 'other@example.com', displayName: 'Other' });
      const response = await call(api, 'PATCH', `/api/v1/users/${other.body.id}`, {
        token: superuser,
        body: { email: 'TAKEN@example.com' },
      });
      expect(response.status).toBe(409);
      expect(response.body).toMatchObject({ error: 'USER_EXISTS' });
    });

    it('allows the same email in another zone', async () => {
      const zone = await createZone(api, superuser, 'users-elsewhere');
      const elsewhere = await createUser(
        superuser,
        { email: 'grace@example.com', displayName: 'Grace' },
        { 'x-nexus-zone-id': zone.id },
      );
      expect(elsewhere.status).toBe(201);
      expect(elsewhere.body.zoneId).toBe(zone.id);
    });

    it.each([
      ['a bad email', { email: 'not-an-email', displayName: 'x' }],
      ['no email', { displayName: 'x' }],
      ['an empty display name', { email: 'a@example.com', displayName: '' }],
      ['an unknown field', { email: 'a@example.com', displayName: 'x', role: 'admin' }],
      ['a disabled flag at creation', { email: 'a@example.com', displayName: 'x', disabled: true }],
    ])('refuses creating a user with %s (400)', async (_label, body) => {
      const response = await createUser(superuser, body);
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ error: 'VALIDATION_FAILED' });
    });

    it.each([
      ['a bad email', { email: 'nope' }],
      ['a non-boolean disabled', { disabled: 'yes' }],
      ['an unknown field', { zoneId: randomUUID() }],
    ])('refuses an update with %s (400)', async (_label, body) => {
      const user = await createUser(superuser, { email: `${randomUUID()}@example.com`, displayName: 'u' });
      const response = await call(api, 'PATCH', `/api/v1/users/${user.body.id}`, { token: superuser, body });
      expect(response.status).toBe(400);
    });

    it('answers 404 for a user of another zone, for reads and updates', async () => {
      const zone = await createZone(api, superuser, 'users-foreign');
      const foreign = await createUser(
        superuser,
        { email: 'foreign@example.com', displayName: 'F' },
        { 'x-nexus-zone-id': zone.id },
      );
      const admin = await createKey(api, superuser, { role: 'admin' });
      expect((await call(api, 'GET', `/api/v1/users/${foreign.body.id}`, { token: admin.key })).status).toBe(
        404,
      );
      const patch = await call(api, 'PATCH', `/api/v1/users/${foreign.body.id}`, {
        token: admin.key,
        body: { disabled: true },
      });
      expect(patch.status).toBe(404);
      expect(patch.body).toMatchObject({ error: 'USER_NOT_FOUND' });
      const list = await call<{ items: User[] }>(api, 'GET', '/api/v1/users?limit=1000', {
        token: admin.key,
      });
      expect(list.body.items.map((user) => user.id)).not.toContain(foreign.body.id);
    });

    it('pages users by email without repeats', async () => {
      const ids: string[] = [];
      let cursor: string | null = null;
      do {
        const query: string = cursor ? `?limit=2&cursor=${cursor}` : '?limit=2';
        const page = await call<{ items: User[]; nextCursor: string | null }>(
          api,
          'GET',
          `/api/v1/users${query}`,
          { token: superuser },
        );
        ids.push(...page.body.items.map((user) => user.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.length).toBeGreaterThanOrEqual(5);
    });

    it('lets exactly one of two concurrent creations of one email (in two cases) win', async () => {
      const results = await Promise.all([
        createUser(superuser, { email: 'race@example.com', displayName: 'A' }),
        createUser(superuser, { email: 'RACE@example.com', displayName: 'B' }),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    });

    it('lets only admins create and update users', async () => {
      const editor = await createKey(api, superuser, { role: 'editor' });
      expect((await createUser(editor.key, { email: 'e@example.com', displayName: 'e' })).status).toBe(403);
    });
  });
});
