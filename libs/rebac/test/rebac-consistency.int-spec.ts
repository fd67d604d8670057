import { decodeRevision } from '../src/revision';
import type { RebacTestContext } from './rebac-test-db';
import { createRebacTestContext } from './rebac-test-db';
import { file, grant, newZone, user } from './service-fixtures';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('consistency, caching and concurrency on PostgreSQL', () => {
  let context: RebacTestContext;

  beforeAll(async () => {
    context = await createRebacTestContext('nexus_rebac_consistency');
  });

  afterAll(async () => {
    await context?.close();
  });

  const viewer = (
    rebac: RebacTestContext['rebac'],
    zoneId: string,
    id: string,
    who: string,
    consistency?: { mode: 'minimize_latency' | 'at_least_as_fresh' | 'fully_consistent'; token?: string },
  ) => rebac.check(zoneId, { object: file(id), relation: 'viewer', subject: user(who), consistency });

  it('a write is visible to the next check in the same process (the cache moves to the new revision)', async () => {
    const zoneId = newZone();
    const tuple = grant(file('/a'), 'viewer', user('anne'));
    expect((await viewer(context.rebac, zoneId, '/a', 'anne')).allowed).toBe(false);
    await context.tuples.write(zoneId, { writes: [tuple] });
    expect((await viewer(context.rebac, zoneId, '/a', 'anne')).allowed).toBe(true);
    expect((await viewer(context.rebac, zoneId, '/a', 'anne')).allowed).toBe(true);
    await context.tuples.write(zoneId, { deletes: [tuple] });
    expect((await viewer(context.rebac, zoneId, '/a', 'anne')).allowed).toBe(false);
    const stats = context.checkCache.stats();
    expect(stats.hits).toBeGreaterThan(0);
  });

  it('another process sees a write at once with at_least_as_fresh, and within 1 s otherwise', async () => {
    const zoneId = newZone();
    const other = await context.newProcess();
    expect((await viewer(other.rebac, zoneId, '/doc', 'bob')).allowed).toBe(false); // cached: denied
    const { revision } = await context.tuples.write(zoneId, {
      writes: [grant(file('/doc'), 'viewer', user('bob'))],
    });
    const fresh = await viewer(other.rebac, zoneId, '/doc', 'bob', {
      mode: 'at_least_as_fresh',
      token: revision,
    });
    expect(fresh.allowed).toBe(true);
    expect(decodeRevision(fresh.revision)).toBeGreaterThanOrEqual(decodeRevision(revision));

    const third = await context.newProcess();
    expect((await viewer(third.rebac, zoneId, '/doc', 'bob')).allowed).toBe(true);
    const written = Date.now();
    await context.tuples.write(zoneId, { deletes: [grant(file('/doc'), 'viewer', user('bob'))] });
    let allowed = true;
    while (allowed && Date.now() - written < 2_000) {
      allowed = (await viewer(third.rebac, zoneId, '/doc', 'bob')).allowed;
      if (allowed) await sleep(20);
    }
    expect(allowed).toBe(false);
    expect(Date.now() - written).toBeLessThanOrEqual(1_000);
  });

  it('fully_consistent reads the latest state, whatever the cache holds', async () => {
    const zoneId = newZone();
    const other = await context.newProcess({ stalenessMs: 60_000 });
    expect((await viewer(other.rebac, zoneId, '/f', 'carl')).allowed).toBe(false);
    await context.tuples.write(zoneId, { writes: [grant(file('/f'), 'viewer', user('carl'))] });
    expect((await viewer(other.rebac, zoneId, '/f', 'carl')).allowed).toBe(false); // stale by design (60 s staleness)
    expect((await viewer(other.rebac, zoneId, '/f', 'carl', { mode: 'fully_consistent' })).allowed).toBe(
      true,
    );
  });

  it('refuses bad consistency requests', async () => {
    const zoneId = newZone();
    await expect(
      viewer(context.rebac, zoneId, '/f', 'x', { mode: 'at_least_as_fresh' }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(
      viewer(context.rebac, zoneId, '/f', 'x', { mode: 'at_least_as_fresh', token: 'zzz' }),
    ).rejects.toMatchObject({ code: 'INVALID_REVISION_TOKEN' });
    await expect(
      viewer(context.rebac, zoneId, '/f', 'x', { mode: 'sometimes' as never }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('serialises concurrent writes: unique, increasing revisions and every write visible', async () => {
    const zoneId = newZone();
    const writes = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        context.tuples.write(zoneId, { writes: [grant(file(`/c/${i}`), 'viewer', user('dana'))] }),
      ),
    );
    const revisions = writes.map((w) => decodeRevision(w.revision));
    expect(new Set(revisions).size).toBe(24);
    const log = await context.tuples.changes(zoneId, { limit: 100 });
    const ids = log.changes.map((c) => decodeRevision(c.revision));
    expect(ids).toEqual([...ids].sort((a, b) => (a < b ? -1 : 1)));
    expect(ids).toHaveLength(24);
    const listed = await context.rebac.listObjects(zoneId, {
      type: 'file',
      relation: 'viewer',
      subject: user('dana'),
      limit: 100,
    });
    expect(listed.items).toHaveLength(24);
  });

  it('records a tuple written by many concurrent callers exactly once', async () => {
    const zoneId = newZone();
    const tuple = grant(file('/race'), 'owner', user('erin'));
    const results = await Promise.all(
      Array.from({ length: 10 }, () => context.tuples.write(zoneId, { writes: [tuple] })),
    );
    expect(results.reduce((sum, r) => sum + r.written, 0)).toBe(1);
    expect((await context.tuples.changes(zoneId)).changes).toHaveLength(1);
  });

  it('answers checks consistently while writes race with them', async () => {
    const zoneId = newZone();
    await context.tuples.write(zoneId, { writes: [grant(file('/stable'), 'viewer', user('finn'))] });
    const checks: Promise<boolean>[] = [];
    const writes: Promise<unknown>[] = [];
    for (let i = 0; i < 20; i++) {
      writes.push(
        context.tuples.write(zoneId, { writes: [grant(file(`/moving/${i}`), 'viewer', user('finn'))] }),
      );
      checks.push(viewer(context.rebac, zoneId, '/stable', 'finn').then((r) => r.allowed));
      checks.push(viewer(context.rebac, zoneId, '/never', 'finn').then((r) => !r.allowed));
    }
    await Promise.all(writes);
    expect((await Promise.all(checks)).every(Boolean)).toBe(true);
    const last = await context.tuples.revision(zoneId);
    for (let i = 0; i < 20; i++) {
      expect(
        (
          await viewer(context.rebac, zoneId, `/moving/${i}`, 'finn', {
            mode: 'at_least_as_fresh',
            token: last,
          })
        ).allowed,
      ).toBe(true);
    }
  });

  it('pages stay complete when a write lands between pages (the list is recomputed at the new revision)', async () => {
    const zoneId = newZone();
    await context.tuples.write(zoneId, {
      writes: ['/a', '/b', '/c'].map((id) => grant(file(id), 'viewer', user('hana'))),
    });
    const first = await context.rebac.listObjects(zoneId, {
      type: 'file',
      relation: 'viewer',
      subject: user('hana'),
      limit: 2,
    });
    expect(first.items.map((o) => o.id)).toEqual(['/a', '/b']);
    await context.tuples.write(zoneId, { writes: [grant(file('/d'), 'viewer', user('hana'))] });
    const second = await context.rebac.listObjects(zoneId, {
      type: 'file',
      relation: 'viewer',
      subject: user('hana'),
      limit: 2,
      cursor: first.nextCursor ?? undefined,
    });
    expect(second.items.map((o) => o.id)).toEqual(['/c', '/d']);
    expect(second.nextCursor).toBeNull();
  });

  it('drops cached answers when the model changes', async () => {
    const zoneId = newZone();
    await context.tuples.write(zoneId, { writes: [grant(file('/m'), 'owner', user('gus'))] });
    expect((await viewer(context.rebac, zoneId, '/m', 'gus')).allowed).toBe(true);
    await context.models.write(zoneId, {
      dsl: 'model\n  schema 1.1\ntype user\ntype file\n  relations\n    define owner: [user]\n    define viewer: [user]\n',
    });
    expect((await viewer(context.rebac, zoneId, '/m', 'gus')).allowed).toBe(false);
  });
});
