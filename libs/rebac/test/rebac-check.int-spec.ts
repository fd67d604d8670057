import type { Pool } from 'pg';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { DomainError } from '@nexus/core';
import type { RebacTestContext } from './rebac-test-db';
import { createRebacTestContext } from './rebac-test-db';
import { ancestry, file, grant, group, newZone, user } from './service-fixtures';

const DEEP = '/l1/l2/l3/l4/l5/report.pdf';

describe('RebacService checks on PostgreSQL (default model)', () => {
  let context: RebacTestContext;
  const zoneId = newZone();

  beforeAll(async () => {
    context = await createRebacTestContext('nexus_rebac_check');
    await context.tuples.write(zoneId, {
      writes: [
        ...ancestry(DEEP),
        ...ancestry('/public/readme.md'),
        grant(file('/'), 'viewer', group('staff')),
        grant({ type: 'group', id: 'staff' }, 'member', group('eng')),
        grant({ type: 'group', id: 'eng' }, 'member', group('backend')),
        grant({ type: 'group', id: 'backend' }, 'member', user('anne')),
        grant(file('/l1/l2'), 'owner', user('olga')),
        grant(file('/l1'), 'editor', { type: 'agent', id: 'bot-7' }),
        grant(file('/public'), 'viewer', { type: 'user', id: '*' }),
        grant({ type: 'zone', id: zoneId }, 'admin', user('root')),
      ],
    });
  });

  afterAll(async () => {
    await context?.close();
  });

  const check = (
    object: { type: string; id: string },
    relation: string,
    subject: { type: string; id: string; relation?: string },
  ) => context.rebac.check(zoneId, { object, relation, subject });

  it('installs the default model for a new zone', async () => {
    const model = await context.models.read(zoneId, { format: 'dsl' });
    expect(model.version).toBe(1);
    expect(model.dsl).toContain(
      'define viewer: [user, user:*, agent, group#member] or editor or viewer from parent',
    );
  });

  it('grants a root viewer grant six levels down through groups nested three deep', async () => {
    const result = await check(file(DEEP), 'viewer', user('anne'));
    expect(result.allowed).toBe(true);
    expect(typeof result.revision).toBe('string');
    expect((await check(file(DEEP), 'editor', user('anne'))).allowed).toBe(false);
  });

  it('inherits every level: owner ⇒ editor ⇒ viewer, from the parent down', async () => {
    for (const relation of ['owner', 'editor', 'viewer']) {
      expect((await check(file(DEEP), relation, user('olga'))).allowed).toBe(true);
      expect((await check(file('/l1'), relation, user('olga'))).allowed).toBe(false);
    }
    expect((await check(file(DEEP), 'editor', { type: 'agent', id: 'bot-7' })).allowed).toBe(true);
    expect((await check(file(DEEP), 'owner', { type: 'agent', id: 'bot-7' })).allowed).toBe(false);
  });

  it('serves public files to any user but not to agents or other zones', async () => {
    expect((await check(file('/public/readme.md'), 'viewer', user('stranger'))).allowed).toBe(true);
    expect((await check(file('/public/readme.md'), 'viewer', { type: 'agent', id: 'x' })).allowed).toBe(
      false,
    );
    expect(
      (
        await context.rebac.check(newZone(), {
          object: file('/public/readme.md'),
          relation: 'viewer',
          subject: user('stranger'),
        })
      ).allowed,
    ).toBe(false);
  });

  it('gates with assertAllowed: returns when allowed, 403 PERMISSION_DENIED when not', async () => {
    await expect(
      context.rebac.assertAllowed(zoneId, file(DEEP), 'viewer', user('anne')),
    ).resolves.toBeUndefined();
    await expect(
      context.rebac.assertAllowed(zoneId, file(DEEP), 'owner', user('anne')),
    ).rejects.toMatchObject({ code: 'PERMISSION_DENIED', status: 403 });
    await expect(
      context.rebac.assertAllowed(zoneId, file(DEEP), 'owner', null as never),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('denies by default', async () => {
    expect((await check(file('/nowhere'), 'viewer', user('anne'))).allowed).toBe(false);
    expect((await check(file(DEEP), 'viewer', user('mallory'))).allowed).toBe(false);
    expect((await check({ type: 'zone', id: zoneId }, 'member', user('root'))).allowed).toBe(true);
    expect((await check({ type: 'zone', id: zoneId }, 'admin', user('anne'))).allowed).toBe(false);
  });

  it.each([
    ['a null subject', null],
    ['an undefined subject', undefined],
    ['an empty subject id', { type: 'user', id: '' }],
    ['a subject without type', { id: 'anne' }],
    ['a wildcard userset', { type: 'group', id: '*', relation: 'member' }],
  ])('refuses %s with VALIDATION_FAILED', async (_label, subject) => {
    await expect(
      context.rebac.check(zoneId, { object: file(DEEP), relation: 'viewer', subject: subject as never }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED', status: 400 });
  });

  it.each([['not-a-uuid'], [''], ['../etc'], [null], [42]])(
    'refuses the invalid zone %p with INVALID_ZONE_ID',
    async (zone) => {
      await expect(
        context.rebac.check(zone as never, { object: file('/'), relation: 'viewer', subject: user('anne') }),
      ).rejects.toMatchObject({
        code: 'INVALID_ZONE_ID',
      });
      expect(await context.rebac.isAllowed(zone as never, file('/'), 'viewer', user('anne'))).toBe(false);
    },
  );

  it('refuses relations and types the model does not define', async () => {
    await expect(check(file(DEEP), 'admin', user('anne'))).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    await expect(check({ type: 'folder', id: 'x' }, 'viewer', user('anne'))).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });

  it('answers a batch of 1,000 checks independently, an invalid one failing alone', async () => {
    const checks = Array.from({ length: 1_000 }, (_, i) => ({
      object: file(i % 2 === 0 ? DEEP : `/other/${i}`),
      relation: 'viewer',
      subject: user('anne'),
    }));
    checks[7] = { object: file(DEEP), relation: 'nope', subject: user('anne') };
    const { results, revision } = await context.rebac.batchCheck(zoneId, { checks });
    expect(results).toHaveLength(1_000);
    expect(typeof revision).toBe('string');
    expect(results[0]).toEqual({ allowed: true });
    expect(results[1]).toEqual({ allowed: false });
    expect(results[7]).toMatchObject({ allowed: false, error: { code: 'VALIDATION_FAILED' } });
    await expect(
      context.rebac.batchCheck(zoneId, { checks: [...checks, checks[0] as never] }),
    ).rejects.toMatchObject({ code: 'TOO_MANY_ITEMS' });
  });

  it('lists objects and subjects completely, across pages', async () => {
    const pages: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await context.rebac.listObjects(zoneId, {
        type: 'file',
        relation: 'viewer',
        subject: user('anne'),
        limit: 3,
        cursor,
      });
      pages.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(pages).toEqual([
      '/',
      '/l1',
      '/l1/l2',
      '/l1/l2/l3',
      '/l1/l2/l3/l4',
      '/l1/l2/l3/l4/l5',
      DEEP,
      '/public',
      '/public/readme.md',
    ]);
    const subjects = await context.rebac.listSubjects(zoneId, {
      object: file(DEEP),
      relation: 'owner',
      subjectFilters: [{ type: 'user' }, { type: 'agent' }],
    });
    expect(subjects.items).toEqual([user('olga')]);
    const groups = await context.rebac.listSubjects(zoneId, {
      object: file('/l1'),
      relation: 'viewer',
      subjectFilters: [{ type: 'group', relation: 'member' }],
    });
    expect(groups.items.map((g) => g.id)).toEqual(['backend', 'eng', 'staff']);
  });

  it('expands and explains through the service', async () => {
    const expanded = await context.rebac.expand(zoneId, { object: file('/l1/l2'), relation: 'owner' });
    expect(JSON.stringify(expanded.tree)).toContain('"id":"olga"');
    const explained = await context.rebac.explain(zoneId, {
      object: file(DEEP),
      relation: 'viewer',
      subject: user('anne'),
    });
    expect(explained.allowed).toBe(true);
    expect(JSON.stringify(explained.trace)).toContain('group:backend#member');
  });

  it('evaluates contextual tuples without caching or storing them', async () => {
    const contextualTuples = [grant(file('/tmp/x'), 'viewer', user('temp'))];
    expect(
      (
        await context.rebac.check(zoneId, {
          object: file('/tmp/x'),
          relation: 'viewer',
          subject: user('temp'),
          contextualTuples,
        })
      ).allowed,
    ).toBe(true);
    expect((await check(file('/tmp/x'), 'viewer', user('temp'))).allowed).toBe(false);
    await expect(
      context.rebac.check(zoneId, {
        object: file('/tmp/x'),
        relation: 'viewer',
        subject: user('temp'),
        contextualTuples: [grant(file('/a'), 'owner', { type: 'user', id: '*' })],
      }),
    ).rejects.toMatchObject({ code: 'INVALID_TUPLE' });
  });

  it('reads a six-level ancestry and its groups in one statement (plus the revision read)', async () => {
    const fresh = await context.newProcess();
    await fresh.rebac.check(zoneId, { object: file('/warm'), relation: 'viewer', subject: user('x') });
    // Every statement, prepared or not, goes through the logger.
    const query = jest.spyOn(context.dataSource.logger, 'logQuery');
    const result = await fresh.rebac.check(zoneId, {
      object: file(DEEP),
      relation: 'viewer',
      subject: user('anne'),
      consistency: { mode: 'fully_consistent' },
    });
    expect(result.allowed).toBe(true);
    expect(query.mock.calls.length).toBeLessThanOrEqual(3);
    query.mockRestore();
  });

  it('reports unknown errors as typed errors, never as an allow', async () => {
    const failing = jest.spyOn(context.dataSource, 'query').mockRejectedValue(new Error('connection reset'));
    const pool = (context.dataSource.driver as PostgresDriver).master as Pool;
    const failingPrepared = jest
      .spyOn(pool, 'query')
      .mockRejectedValue(new Error('connection reset') as never);
    const fresh = await context.newProcess();
    await expect(
      fresh.rebac.check(zoneId, { object: file(DEEP), relation: 'viewer', subject: user('anne') }),
    ).rejects.toBeInstanceOf(DomainError);
    expect(await fresh.rebac.isAllowed(zoneId, file(DEEP), 'viewer', user('anne'))).toBe(false);
    failing.mockRestore();
    failingPrepared.mockRestore();
  });
});
