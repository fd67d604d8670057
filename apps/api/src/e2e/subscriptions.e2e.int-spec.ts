import { randomBytes } from 'node:crypto';
import { createTestDatabase } from '@nexus/storage-models/testing';
import type { TestDatabase } from '@nexus/storage-models/testing';
import { DataSource } from 'typeorm';
import { createKey, newAdminKey, startApi } from './support/api-under-test';
import type { ApiUnderTest, Body } from './support/api-under-test';

interface Subscription {
  id: string;
  url: string;
  eventTypes: string[];
  patterns: string[];
  name: string | null;
  description: string | null;
  enabled: boolean;
  ordered: boolean;
  previousSecretExpiresAt: string | null;
  createdBy: string;
  secret?: string;
}

interface ErrorBody {
  error: string;
  message: string;
  details?: Record<string, unknown>;
}

const SECRET_FORM = /^whsec_[A-Za-z0-9+/]{43}=$/;
const HOUR = 3_600_000;

describe('subscriptions API (real API, PostgreSQL)', () => {
  let database: TestDatabase;
  /** https only; NEXUS_WEBHOOK_ALLOW_HOSTS lets the local receiver's name in. */
  let api: ApiUnderTest;
  /** NEXUS_WEBHOOK_ALLOW_HTTP=true, same database. */
  let httpApi: ApiUnderTest;
  /** No NEXUS_ENCRYPTION_KEY. */
  let noVault: ApiUnderTest;
  let admin: string;
  let operator: string;
  let editor: string;
  let viewer: string;
  let operatorB: string;

  const valid = {
    url: 'https://hooks.example.com/nexus',
    eventTypes: ['file_write'],
    patterns: ['/docs/**'],
  };

  beforeAll(async () => {
    database = await createTestDatabase('nexus_api_subscriptions');
    admin = newAdminKey();
    const vault = { NEXUS_ENCRYPTION_KEY: randomBytes(32).toString('base64') };
    api = await startApi(database.url, admin, { ...vault, NEXUS_WEBHOOK_ALLOW_HOSTS: 'receiver.localhost' });
    httpApi = await startApi(database.url, admin, { ...vault, NEXUS_WEBHOOK_ALLOW_HTTP: 'true' });
    noVault = await startApi(database.url, admin);
    operator = await createKey(api, admin, 'operator', 'hooks-operator');
    editor = await createKey(api, admin, 'editor', 'hooks-editor');
    viewer = await createKey(api, admin, 'viewer', 'hooks-viewer');
    const zone = await api.call<{ id: string }>('POST', '/api/v1/zones', admin, { name: 'hooks-zone-b' });
    expect(zone.status).toBe(201);
    operatorB = await createKey(api, admin, 'operator', 'hooks-operator-b', zone.body.id);
  }, 120_000);

  afterAll(async () => {
    await noVault?.app.close();
    await httpApi?.app.close();
    await api?.app.close();
    await database?.drop();
  });

  const create = (body: Body, through: ApiUnderTest = api, key = operator) =>
    through.call<Subscription & ErrorBody>('POST', '/api/v1/subscriptions', key, body);

  async function created(body: Body = valid): Promise<Subscription> {
    const reply = await create(body);
    expect(reply.status).toBe(201);
    return reply.body;
  }

  it('shows the secret once, in the Standard Webhooks form, and stores it only sealed', async () => {
    const reply = await create({ ...valid, name: 'docs', description: 'docs changes', ordered: true });

    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({
      url: 'https://hooks.example.com/nexus',
      eventTypes: ['file_write'],
      patterns: ['/docs/**'],
      name: 'docs',
      description: 'docs changes',
      enabled: true,
      ordered: true,
      previousSecretExpiresAt: null,
      createdBy: 'agent:hooks-operator',
    });
    const secret = reply.body.secret ?? '';
    expect(secret).toMatch(SECRET_FORM);

    const read = await api.call<Subscription>('GET', `/api/v1/subscriptions/${reply.body.id}`, operator);
    expect(read.status).toBe(200);
    expect(read.body).not.toHaveProperty('secret');
    expect(JSON.stringify(read.body)).not.toContain(secret);
    const listed = await api.call<{ items: Subscription[] }>('GET', '/api/v1/subscriptions', operator);
    expect(JSON.stringify(listed.body)).not.toContain(secret);

    const [row] = await api.app
      .get(DataSource)
      .query<Array<{ secret_sealed: Buffer }>>(
        'SELECT secret_sealed FROM webhook_subscriptions WHERE id = $1',
        [reply.body.id],
      );
    const sealed = row?.secret_sealed ?? Buffer.alloc(0);
    expect(sealed.length).toBeGreaterThan(secret.length);
    expect(sealed.includes(Buffer.from(secret))).toBe(false);
    expect(sealed.includes(Buffer.from(secret.slice('whsec_'.length), 'base64'))).toBe(false);
    const audit = await api.app
      .get(DataSource)
      .query<Array<{ action: string; details: unknown }>>(
        'SELECT action, details FROM audit_log WHERE resource_id = $1',
        [reply.body.id],
      );
    expect(audit.map((entry) => entry.action)).toEqual(['subscription_created']);
    expect(JSON.stringify(audit)).not.toContain(secret);
  });

  it('pages the zone’s list by cursor', async () => {
    const isolated = await createKey(api, admin, 'operator', 'hooks-pager', await newZone('hooks-pager'));
    const ids = new Set<string>();
    for (let i = 0; i < 5; i++) ids.add((await create({ ...valid, name: `p${i}` }, api, isolated)).body.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `?limit=2&cursor=${cursor}` : '?limit=2';
      const page = await api.call<{ items: Subscription[]; nextCursor: string | null }>(
        'GET',
        `/api/v1/subscriptions${query}`,
        isolated,
      );
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((item) => item.id));
      cursor = page.body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(new Set(seen)).toEqual(ids);
    expect(seen).toHaveLength(5);

    const forged = await api.call<ErrorBody>(
      'GET',
      '/api/v1/subscriptions?cursor=bm90LWEtY3Vyc29y',
      isolated,
    );
    expect(forged.status).toBe(400);
  });

  it('patches what is given, validated like create', async () => {
    const subscription = await created();
    const path = `/api/v1/subscriptions/${subscription.id}`;

    const patched = await api.call<Subscription>('PATCH', path, operator, {
      url: 'https://receiver.localhost/hook',
      eventTypes: ['file_delete', '*'],
      patterns: [],
      enabled: false,
      name: 'renamed',
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      url: 'https://receiver.localhost/hook',
      eventTypes: ['file_delete', '*'],
      patterns: [],
      enabled: false,
      name: 'renamed',
      ordered: false,
    });
    expect(patched.body).not.toHaveProperty('secret');

    const refused = await api.call<ErrorBody>('PATCH', path, operator, { url: 'https://other.localhost/' });
    expect(refused.status).toBe(400);
    expect(refused.body.details).toMatchObject({ rule: 'loopback' });
    expect((await api.call<ErrorBody>('PATCH', path, operator, { patterns: ['/a/{b'] })).status).toBe(400);
    expect((await api.call<ErrorBody>('PATCH', path, operator, { enabled: 'no' })).status).toBe(400);
    expect((await api.call<Subscription>('GET', path, operator)).body.url).toBe(
      'https://receiver.localhost/hook',
    );
  });

  it('deletes: 204, then 404', async () => {
    const subscription = await created();
    const path = `/api/v1/subscriptions/${subscription.id}`;

    expect((await api.call('DELETE', path, operator)).status).toBe(204);
    expect((await api.call<ErrorBody>('GET', path, operator)).body.error).toBe('SUBSCRIPTION_NOT_FOUND');
    expect((await api.call('GET', path, operator)).status).toBe(404);
    expect((await api.call('DELETE', path, operator)).status).toBe(404);
  });

  it('rotates the secret: a new one, the previous kept sealed for 24 h', async () => {
    const subscription = await created();
    const before = Date.now();

    const rotated = await api.call<{ secret: string; previousSecretExpiresAt: string }>(
      'POST',
      `/api/v1/subscriptions/${subscription.id}/rotate-secret`,
      operator,
    );

    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(SECRET_FORM);
    expect(rotated.body.secret).not.toBe(subscription.secret);
    const expiry = Date.parse(rotated.body.previousSecretExpiresAt);
    expect(expiry).toBeGreaterThanOrEqual(before + 24 * HOUR - 1000);
    expect(expiry).toBeLessThanOrEqual(Date.now() + 24 * HOUR + 1000);
    const read = await api.call<Subscription>('GET', `/api/v1/subscriptions/${subscription.id}`, operator);
    expect(read.body.previousSecretExpiresAt).toBe(rotated.body.previousSecretExpiresAt);
    const [row] = await api.app
      .get(DataSource)
      .query<Array<{ secret_sealed: Buffer; previous_secret_sealed: Buffer | null }>>(
        'SELECT secret_sealed, previous_secret_sealed FROM webhook_subscriptions WHERE id = $1',
        [subscription.id],
      );
    expect(row?.previous_secret_sealed).toBeInstanceOf(Buffer);
    for (const secret of [rotated.body.secret, subscription.secret ?? '']) {
      expect(row?.secret_sealed.includes(Buffer.from(secret))).toBe(false);
      expect(row?.previous_secret_sealed?.includes(Buffer.from(secret))).toBe(false);
    }
  });

  describe('refuses bad input with a 400 naming the rule or field', () => {
    it.each([
      ['ftp://', 'default', 'ftp://hooks.example.com/x', 'scheme'],
      ['http:// without NEXUS_WEBHOOK_ALLOW_HTTP', 'default', 'http://hooks.example.com/x', 'scheme'],
      ['a loopback address', 'http', 'http://127.0.0.1:8080/x', 'loopback'],
      ['the metadata address', 'http', 'http://169.254.169.254/latest/meta-data', 'metadata'],
      ['a private address', 'default', 'https://10.1.2.3/x', 'private'],
      ['localhost', 'default', 'https://localhost/x', 'loopback'],
      ['a user name in the URL', 'default', 'https://user:pw@hooks.example.com/x', 'userinfo'],
    ] as const)('%s', async (_name, where, url, rule) => {
      const reply = await create({ ...valid, url }, where === 'http' ? httpApi : api);

      expect(reply.status).toBe(400);
      expect(reply.body.error).toBe('INVALID_WEBHOOK_URL');
      expect(reply.body.details).toMatchObject({ field: 'url', rule });
      expect(reply.body.message).toContain(`(rule: ${rule})`);
    });

    it('takes http:// when NEXUS_WEBHOOK_ALLOW_HTTP=true', async () => {
      expect((await create({ ...valid, url: 'http://hooks.example.com/x' }, httpApi)).status).toBe(201);
    });

    it('takes an allow-listed local receiver', async () => {
      expect((await create({ ...valid, url: 'https://receiver.localhost:8443/x' })).status).toBe(201);
    });

    it('an unknown event type', async () => {
      const reply = await create({ ...valid, eventTypes: ['file_write', 'file_exploded'] });

      expect(reply.status).toBe(400);
      expect(reply.body.error).toBe('UNKNOWN_EVENT_TYPE');
      expect(reply.body.message).toContain('eventTypes[1]');
    });

    it('a glob that does not compile, naming patterns[i]', async () => {
      const reply = await create({ ...valid, patterns: ['/src/[unclosed'] });

      expect(reply.status).toBe(400);
      expect(reply.body.error).toBe('INVALID_PATTERN');
      expect(reply.body.message).toContain('patterns[0]');
      expect(reply.body.details).toMatchObject({ field: 'patterns[0]' });
    });

    it.each([
      ['an unknown body field', { ...valid, secret: 'whsec_mine' }, 'secret'],
      ['no event types', { ...valid, eventTypes: [] }, 'eventTypes'],
      ['a missing url', { eventTypes: ['file_write'], patterns: [] }, 'url'],
      ['a non-boolean enabled', { ...valid, enabled: 'yes' }, 'enabled'],
    ])('%s', async (_name, body, field) => {
      const reply = await create(body);

      expect(reply.status).toBe(400);
      expect(reply.body.message).toContain(field);
    });
  });

  it('is for operators and above: viewer and editor get 403', async () => {
    const subscription = await created();
    for (const key of [viewer, editor]) {
      expect((await create(valid, api, key)).status).toBe(403);
      expect((await api.call('GET', '/api/v1/subscriptions', key)).status).toBe(403);
      expect((await api.call('GET', `/api/v1/subscriptions/${subscription.id}`, key)).status).toBe(403);
    }
    expect((await create(valid, api, admin)).status).toBe(201);
  });

  it('answers 404 for another zone’s subscription, and lists only the caller’s zone', async () => {
    const subscription = await created();
    const path = `/api/v1/subscriptions/${subscription.id}`;

    expect((await api.call('GET', path, operatorB)).status).toBe(404);
    expect((await api.call('PATCH', path, operatorB, { enabled: false })).status).toBe(404);
    expect((await api.call('POST', `${path}/rotate-secret`, operatorB)).status).toBe(404);
    expect((await api.call('DELETE', path, operatorB)).status).toBe(404);
    const listed = await api.call<{ items: Subscription[] }>('GET', '/api/v1/subscriptions', operatorB);
    expect(listed.body.items.map((item) => item.id)).not.toContain(subscription.id);
    expect((await api.call<Subscription>('GET', path, operator)).body.enabled).toBe(true);
  });

  it('answers 503 on create without NEXUS_ENCRYPTION_KEY, writing nothing', async () => {
    const count = async () =>
      (
        await api.app
          .get(DataSource)
          .query<Array<{ n: number }>>('SELECT count(*)::int AS n FROM webhook_subscriptions')
      )[0]?.n;
    const before = await count();

    const reply = await create(valid, noVault);

    expect(reply.status).toBe(503);
    expect(reply.body.error).toBe('VAULT_UNAVAILABLE');
    expect(await count()).toBe(before);
  });

  async function newZone(name: string): Promise<string> {
    const zone = await api.call<{ id: string }>('POST', '/api/v1/zones', admin, { name });
    expect(zone.status).toBe(201);
    return zone.body.id;
  }
});
