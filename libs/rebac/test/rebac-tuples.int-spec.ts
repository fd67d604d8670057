import type { RebacTestContext } from './rebac-test-db';
import { createRebacTestContext } from './rebac-test-db';
import { file, grant, group, newZone, user } from './service-fixtures';

describe('tuples, change log and models on PostgreSQL', () => {
  let context: RebacTestContext;

  beforeAll(async () => {
    context = await createRebacTestContext('nexus_rebac_tuples');
  });

  afterAll(async () => {
    await context?.close();
  });

  const count = async (zoneId: string) =>
    Number(
      (
        await context.dataSource.query<{ n: string }[]>(
          'SELECT count(*) AS n FROM relation_tuples WHERE zone_id = $1',
          [zoneId],
        )
      )[0]?.n,
    );

  it('writes idempotently: an existing tuple or an absent delete changes nothing', async () => {
    const zoneId = newZone();
    const tuple = grant(file('/a'), 'viewer', user('anne'));
    const first = await context.tuples.write(zoneId, { writes: [tuple, tuple] });
    expect(first).toMatchObject({ written: 1, deleted: 0 });
    const again = await context.tuples.write(zoneId, { writes: [tuple] });
    expect(again).toMatchObject({ written: 0, revision: first.revision });
    const gone = await context.tuples.write(zoneId, { deletes: [grant(file('/b'), 'viewer', user('anne'))] });
    expect(gone).toMatchObject({ deleted: 0, revision: first.revision });
    expect(await count(zoneId)).toBe(1);
  });

  it('rejects a write that violates the model, atomically, with INVALID_TUPLE', async () => {
    const zoneId = newZone();
    const good = grant(file('/a'), 'viewer', user('anne'));
    for (const bad of [
      grant(file('/a'), 'admin', user('anne')),
      grant({ type: 'folder', id: 'x' }, 'viewer', user('anne')),
      grant(file('/a'), 'owner', { type: 'user', id: '*' }),
      grant(file('/a'), 'viewer', { type: 'robot', id: 'r' }),
      grant(file('/a'), 'parent', group('eng')),
    ]) {
      await expect(context.tuples.write(zoneId, { writes: [good, bad] })).rejects.toMatchObject({
        code: 'INVALID_TUPLE',
        status: 400,
      });
    }
    expect(await count(zoneId)).toBe(0);
    expect((await context.tuples.changes(zoneId)).changes).toEqual([]);
  });

  it('refuses a tuple both written and deleted, and malformed tuples', async () => {
    const zoneId = newZone();
    const tuple = grant(file('/a'), 'viewer', user('anne'));
    await expect(context.tuples.write(zoneId, { writes: [tuple], deletes: [tuple] })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    await expect(
      context.tuples.write(zoneId, { writes: [{ ...tuple, subject: null as never }] }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(context.tuples.write('nope', { writes: [tuple] })).rejects.toMatchObject({
      code: 'INVALID_ZONE_ID',
    });
    const tooMany = Array.from({ length: 1_001 }, (_, i) => grant(file(`/f${i}`), 'viewer', user('anne')));
    await expect(context.tuples.write(zoneId, { writes: tooMany })).rejects.toMatchObject({
      code: 'TOO_MANY_ITEMS',
    });
  });

  it('applies deletes and writes in one transaction and records both in the change log', async () => {
    const zoneId = newZone();
    const a = grant(file('/a'), 'viewer', user('anne'));
    const b = grant(file('/b'), 'editor', group('eng'));
    const first = await context.tuples.write(zoneId, { writes: [a] });
    const second = await context.tuples.write(zoneId, { writes: [b], deletes: [a] });
    const log = await context.tuples.changes(zoneId);
    expect(log.changes.map((c) => [c.operation, c.tuple])).toEqual([
      ['write', a],
      ['delete', a],
      ['write', b],
    ]);
    expect(log.revision).toBe(second.revision);
    const since = await context.tuples.changes(zoneId, { since: first.revision });
    expect(since.changes.map((c) => c.operation)).toEqual(['delete', 'write']);
    const none = await context.tuples.changes(zoneId, { since: second.revision });
    expect(none).toEqual({ changes: [], revision: second.revision });
    const paged = await context.tuples.changes(zoneId, { limit: 1 });
    expect(paged.changes).toHaveLength(1);
    expect((await context.tuples.changes(zoneId, { since: paged.revision, limit: 5 })).changes).toHaveLength(
      2,
    );
    await expect(context.tuples.changes(zoneId, { since: 'bogus' })).rejects.toMatchObject({
      code: 'INVALID_REVISION_TOKEN',
    });
  });

  it('checks preconditions before changing anything (412)', async () => {
    const zoneId = newZone();
    const a = grant(file('/a'), 'viewer', user('anne'));
    const b = grant(file('/b'), 'viewer', user('anne'));
    const { revision } = await context.tuples.write(zoneId, { writes: [a] });
    await expect(
      context.tuples.write(zoneId, { writes: [b], preconditions: { exist: [b] } }),
    ).rejects.toMatchObject({ code: 'PRECONDITION_FAILED', status: 412 });
    await expect(
      context.tuples.write(zoneId, { writes: [b], preconditions: { absent: [a] } }),
    ).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    await context.tuples.write(zoneId, { writes: [b], preconditions: { exist: [a], absent: [b], revision } });
    await expect(
      context.tuples.write(zoneId, { deletes: [a], preconditions: { revision } }),
    ).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    expect(await count(zoneId)).toBe(2);
  });

  it('reads tuples by filter with cursor paging', async () => {
    const zoneId = newZone();
    const writes = Array.from({ length: 12 }, (_, i) =>
      grant(
        file(`/docs/${String(i).padStart(2, '0')}`),
        i % 3 === 0 ? 'editor' : 'viewer',
        user(`u${i % 2}`),
      ),
    );
    await context.tuples.write(zoneId, { writes });
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await context.tuples.read(
        zoneId,
        { objectType: 'file', relation: 'viewer' },
        { limit: 3, cursor },
      );
      seen.push(...page.items.map((t) => t.object.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toHaveLength(8);
    expect([...seen].sort()).toEqual(seen);
    const byUser = await context.tuples.read(zoneId, { subjectType: 'user', subjectId: 'u1' });
    expect(byUser.items.every((t) => t.subject.id === 'u1')).toBe(true);
    expect(byUser.items).toHaveLength(6);
    const one = await context.tuples.read(zoneId, { objectType: 'file', objectId: '/docs/00' });
    expect(one.items).toEqual([expect.objectContaining({ relation: 'editor', subject: user('u0') })]);
    await expect(context.tuples.read(zoneId, { objectId: '/docs/00' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });

  it('versions models: a new version is in force at once; JSON or DSL; conditions refused', async () => {
    const zoneId = newZone();
    await context.tuples.write(zoneId, { writes: [grant(file('/a'), 'viewer', user('anne'))] });
    expect(
      (await context.rebac.check(zoneId, { object: file('/a'), relation: 'viewer', subject: user('anne') }))
        .allowed,
    ).toBe(true);
    const v2 = await context.models.write(zoneId, {
      dsl: 'model\n  schema 1.1\ntype user\ntype file\n  relations\n    define viewer: [user]\n    define reader: viewer\n',
    });
    expect(v2.version).toBe(2);
    expect(
      (await context.rebac.check(zoneId, { object: file('/a'), relation: 'reader', subject: user('anne') }))
        .allowed,
    ).toBe(true);
    await expect(
      context.rebac.check(zoneId, { object: file('/a'), relation: 'editor', subject: user('anne') }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(
      context.models.write(zoneId, {
        dsl: 'model\n  schema 1.1\ntype user\ntype file\n  relations\n    define viewer: [user with c]\ncondition c(x: int) {\n  x > 1\n}\n',
      }),
    ).rejects.toMatchObject({ code: 'CONDITIONS_NOT_SUPPORTED', status: 400 });
    await expect(
      context.models.write(zoneId, { json: { schema_version: '1.1', type_definitions: [] } }),
    ).rejects.toMatchObject({ code: 'MODEL_VALIDATION_FAILED' });
    await expect(context.models.write(zoneId, { json: {}, dsl: 'x' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    expect((await context.models.read(zoneId)).version).toBe(2);
    expect((await context.models.read(zoneId, { version: 1, format: 'dsl' })).dsl).toContain('type file');
    const listed = await context.models.list(zoneId, { limit: 1 });
    expect(listed.items.map((m) => m.version)).toEqual([2]);
    expect(
      (await context.models.list(zoneId, { cursor: listed.nextCursor ?? undefined })).items.map(
        (m) => m.version,
      ),
    ).toEqual([1]);
    await expect(context.models.read(zoneId, { version: 9 })).rejects.toMatchObject({
      code: 'MODEL_NOT_FOUND',
      status: 404,
    });
  });

  it('installs the default model idempotently', async () => {
    const zoneId = newZone();
    await Promise.all([context.models.installDefault(zoneId), context.models.installDefault(zoneId)]);
    await context.models.installDefault(zoneId);
    expect((await context.models.list(zoneId)).items.map((m) => m.version)).toEqual([1]);
  });
});
