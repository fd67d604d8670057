import type { RebacTestContext } from './rebac-test-db';
import { createRebacTestContext } from './rebac-test-db';
import { file, grant, group, newZone, user } from './service-fixtures';

/** Adversarial: nothing written in one zone may be seen, changed or used from another. */
describe('zone isolation on PostgreSQL', () => {
  let context: RebacTestContext;
  const zoneA = newZone();
  const zoneB = newZone();
  const secret = file('/secret.txt');

  beforeAll(async () => {
    context = await createRebacTestContext('nexus_rebac_isolation');
    await context.tuples.write(zoneA, {
      writes: [
        grant(secret, 'owner', user('anne')),
        grant({ type: 'group', id: 'eng' }, 'member', user('anne')),
        grant(file('/team'), 'viewer', group('eng')),
        grant(file('/team/plan.md'), 'parent', file('/team')),
      ],
    });
    // Zone B names A's group and A's folder, hoping to inherit through them.
    await context.tuples.write(zoneB, {
      writes: [
        grant(file('/shared'), 'viewer', group('eng')),
        grant(file('/shared/x'), 'parent', file('/team')),
      ],
    });
  });

  afterAll(async () => {
    await context?.close();
  });

  it('does not answer a check in one zone with another zone’s tuples', async () => {
    expect(
      (await context.rebac.check(zoneA, { object: secret, relation: 'viewer', subject: user('anne') }))
        .allowed,
    ).toBe(true);
    expect(
      (await context.rebac.check(zoneB, { object: secret, relation: 'viewer', subject: user('anne') }))
        .allowed,
    ).toBe(false);
  });

  it('resolves usersets and parents only inside the asking zone', async () => {
    expect(
      (
        await context.rebac.check(zoneB, {
          object: file('/shared'),
          relation: 'viewer',
          subject: user('anne'),
        })
      ).allowed,
    ).toBe(false);
    expect(
      (
        await context.rebac.check(zoneB, {
          object: file('/shared/x'),
          relation: 'viewer',
          subject: user('anne'),
        })
      ).allowed,
    ).toBe(false);
    expect(
      (
        await context.rebac.check(zoneA, {
          object: file('/team/plan.md'),
          relation: 'viewer',
          subject: user('anne'),
        })
      ).allowed,
    ).toBe(true);
  });

  it('lists, expands and explains only the asking zone', async () => {
    expect(
      (await context.rebac.listObjects(zoneB, { type: 'file', relation: 'viewer', subject: user('anne') }))
        .items,
    ).toEqual([]);
    expect(
      (
        await context.rebac.listSubjects(zoneB, {
          object: secret,
          relation: 'owner',
          subjectFilters: [{ type: 'user' }],
        })
      ).items,
    ).toEqual([]);
    expect(
      JSON.stringify((await context.rebac.expand(zoneB, { object: secret, relation: 'viewer' })).tree),
    ).not.toContain('anne');
    expect(
      (await context.rebac.explain(zoneB, { object: secret, relation: 'viewer', subject: user('anne') }))
        .allowed,
    ).toBe(false);
    const batch = await context.rebac.batchCheck(zoneB, {
      checks: [{ object: secret, relation: 'owner', subject: user('anne') }],
    });
    expect(batch.results).toEqual([{ allowed: false }]);
  });

  it('reads tuples and changes of the asking zone only', async () => {
    const tuples = await context.tuples.read(zoneB, {});
    expect(tuples.items.map((t) => t.object.id).sort()).toEqual(['/shared', '/shared/x']);
    const changes = await context.tuples.changes(zoneB);
    expect(changes.changes.every((c) => c.tuple.object.id.startsWith('/shared'))).toBe(true);
  });

  it('cannot delete or test preconditions against another zone’s tuples', async () => {
    const result = await context.tuples.write(zoneB, { deletes: [grant(secret, 'owner', user('anne'))] });
    expect(result.deleted).toBe(0);
    await expect(
      context.tuples.write(zoneB, {
        writes: [grant(file('/y'), 'viewer', user('z'))],
        preconditions: { exist: [grant(secret, 'owner', user('anne'))] },
      }),
    ).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    expect(
      (await context.rebac.check(zoneA, { object: secret, relation: 'owner', subject: user('anne') }))
        .allowed,
    ).toBe(true);
  });

  it('keeps models per zone', async () => {
    const zoneC = newZone();
    await context.models.write(zoneC, {
      dsl: 'model\n  schema 1.1\ntype user\ntype file\n  relations\n    define viewer: [user]\n',
    });
    expect((await context.models.read(zoneA)).version).toBe(1);
    await expect(
      context.rebac.check(zoneC, { object: secret, relation: 'owner', subject: user('anne') }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(
      (await context.rebac.check(zoneA, { object: secret, relation: 'owner', subject: user('anne') }))
        .allowed,
    ).toBe(true);
  });

  it('never serves a cached answer across zones', async () => {
    for (let i = 0; i < 3; i++) {
      expect(
        (await context.rebac.check(zoneA, { object: secret, relation: 'editor', subject: user('anne') }))
          .allowed,
      ).toBe(true);
      expect(
        (await context.rebac.check(zoneB, { object: secret, relation: 'editor', subject: user('anne') }))
          .allowed,
      ).toBe(false);
    }
  });

  it('treats hostile ids as data', async () => {
    const zoneD = newZone();
    const hostile = file("/x'; DELETE FROM relation_tuples; --");
    await context.tuples.write(zoneD, { writes: [grant(hostile, 'viewer', user("anne' OR '1'='1"))] });
    expect(
      (
        await context.rebac.check(zoneD, {
          object: hostile,
          relation: 'viewer',
          subject: user("anne' OR '1'='1"),
        })
      ).allowed,
    ).toBe(true);
    expect(
      (await context.rebac.check(zoneD, { object: hostile, relation: 'viewer', subject: user('anne') }))
        .allowed,
    ).toBe(false);
    expect((await context.tuples.read(zoneA, {})).items.length).toBeGreaterThan(0);
  });

  it('refuses a zone id that is not a canonical lower-case UUID', async () => {
    await expect(
      context.rebac.check(zoneA.toUpperCase(), { object: secret, relation: 'owner', subject: user('anne') }),
    ).rejects.toMatchObject({ code: 'INVALID_ZONE_ID' });
    await expect(context.tuples.read(`${zoneA} `, {})).rejects.toMatchObject({ code: 'INVALID_ZONE_ID' });
  });
});
