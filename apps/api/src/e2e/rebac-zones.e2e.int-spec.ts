import { decodeRevision } from '@nexus/rebac';
import { createTestDatabase } from '@nexus/storage-models/testing';
import type { TestDatabase } from '@nexus/storage-models/testing';
import { tuple } from './rebac-e2e-client';
import type { ApiUnderTest, Body } from './support/api-under-test';
import { createKey, newAdminKey, startApi } from './support/api-under-test';

interface Page {
  items: Body[];
  nextCursor: string | null;
}
interface Changes {
  changes: { tuple: Body }[];
  revision: string;
}

const ADMIN_KEY = newAdminKey();
const secret = tuple('file:/secret', 'viewer', 'user:anne');
const secretCheck = { ...secret, consistency: { mode: 'fully_consistent' } };

describe('rebac REST API: zone isolation and consistency tokens', () => {
  let database: TestDatabase;
  let api: ApiUnderTest;
  let other: ApiUnderTest;
  let zoneB: string;
  let operatorA: string;
  let operatorB: string;
  let viewerB: string;

  const rebac = <T = Body>(target: ApiUnderTest, method: string, path: string, key: string, body?: unknown) =>
    target.call<T>(method, `/api/v1/rebac/${path}`, key, body);

  beforeAll(async () => {
    database = await createTestDatabase('nexus_api_rebac_zones');
    api = await startApi(database.url, ADMIN_KEY);
    // A second API process's view of the same database (its own caches).
    other = await startApi(database.url, ADMIN_KEY);
    operatorA = await createKey(api, ADMIN_KEY, 'operator', 'agent-a');
    const zone = await api.call<{ id: string }>('POST', '/api/v1/zones', ADMIN_KEY, { name: 'zone-b' });
    expect(zone.status).toBe(201);
    zoneB = zone.body.id;
    operatorB = await createKey(api, ADMIN_KEY, 'operator', 'agent-b', zoneB);
    viewerB = await createKey(api, ADMIN_KEY, 'viewer', 'viewer-b', zoneB);
    const written = await rebac(api, 'POST', 'tuples', operatorA, { writes: [secret] });
    expect(written.status).toBe(200);
  }, 60_000);

  afterAll(async () => {
    await other?.app.close();
    await api?.app.close();
    await database?.drop();
  });

  it('never shows zone A’s tuples, changes or answers to a key of zone B', async () => {
    expect((await rebac<Page>(api, 'GET', 'tuples', operatorA)).body.items).toEqual([
      expect.objectContaining(secret),
    ]);
    expect((await rebac<Page>(api, 'GET', 'tuples', viewerB)).body.items).toEqual([]);
    expect((await rebac<Changes>(api, 'GET', 'changes', viewerB)).body.changes).toEqual([]);
    expect((await rebac(api, 'POST', 'check', operatorA, secretCheck)).body).toMatchObject({ allowed: true });
    expect((await rebac(api, 'POST', 'check', viewerB, secretCheck)).body).toMatchObject({ allowed: false });
    const listed = await rebac<Page>(api, 'POST', 'list-objects', viewerB, {
      type: 'file',
      relation: 'viewer',
      subject: { type: 'user', id: 'anne' },
    });
    expect(listed.body.items).toEqual([]);
  });

  it('keeps zone B’s own tuples to zone B', async () => {
    const mine = tuple('file:/b-only', 'viewer', 'user:anne');
    expect((await rebac(api, 'POST', 'tuples', operatorB, { writes: [mine] })).status).toBe(200);
    expect((await rebac<Page>(api, 'GET', 'tuples', viewerB)).body.items).toEqual([
      expect.objectContaining(mine),
    ]);
    expect((await rebac<Changes>(api, 'GET', 'changes', viewerB)).body.changes.map((c) => c.tuple)).toEqual([
      mine,
    ]);
    const inA = await rebac<Page>(api, 'GET', 'tuples?objectType=file&objectId=/b-only', operatorA);
    expect(inA.body.items).toEqual([]);
    const checkA = { ...mine, consistency: { mode: 'fully_consistent' } };
    expect((await rebac(api, 'POST', 'check', operatorA, checkA)).body).toMatchObject({ allowed: false });
  });

  it('refuses a zone in the body and a foreign zone header', async () => {
    const withZone = await rebac(api, 'POST', 'tuples', operatorB, { writes: [secret], zoneId: zoneB });
    expect(withZone.status).toBe(400);
    const foreign = await api.call('GET', '/api/v1/rebac/tuples', operatorB, undefined, {
      'x-nexus-zone-id': '00000000-0000-4000-8000-000000000000',
    });
    expect(foreign.status).toBe(403);
  });

  it('lets the superuser act in zone B through X-Nexus-Zone-ID, and only see zone B there', async () => {
    const asB = await api.call<Page>('GET', '/api/v1/rebac/tuples', ADMIN_KEY, undefined, {
      'x-nexus-zone-id': zoneB,
    });
    expect(asB.status).toBe(200);
    expect(asB.body.items.map((t) => t.object)).toEqual([{ type: 'file', id: '/b-only' }]);
  });

  it('answers at_least_as_fresh checks at the written revision or later, across processes', async () => {
    const question = tuple('file:/fresh', 'viewer', 'user:fresh');
    // The other process answers (and caches) "no" before the write.
    const before = await rebac<{ allowed: boolean }>(other, 'POST', 'check', operatorA, question);
    expect(before.body.allowed).toBe(false);
    const written = await rebac<{ revision: string }>(api, 'POST', 'tuples', operatorA, {
      writes: [question],
    });
    const token = written.body.revision;
    const fresh = await rebac<{ allowed: boolean; revision: string }>(other, 'POST', 'check', operatorA, {
      ...question,
      consistency: { mode: 'at_least_as_fresh', token },
    });
    expect(fresh.status).toBe(200);
    expect(fresh.body.allowed).toBe(true);
    expect(decodeRevision(fresh.body.revision)).toBeGreaterThanOrEqual(decodeRevision(token));
    const batch = await rebac<{ results: { allowed: boolean }[] }>(other, 'POST', 'check/batch', operatorA, {
      checks: [question],
      consistency: { mode: 'at_least_as_fresh', token },
    });
    expect(batch.body.results).toEqual([{ allowed: true }]);
    const bad = await rebac(other, 'POST', 'check', operatorA, {
      ...question,
      consistency: { mode: 'at_least_as_fresh' },
    });
    expect(bad.status).toBe(400);
  });
});
