import { fsPrincipal, startFilesystemContext, treeProbes } from '../testing';
import type { FsTestContext } from '../testing';
import { FsMetadataWriter } from './fs-metadata-writer.service';
import { FsReader } from './fs-reader.service';
import { FsTree } from './fs-tree.service';

describe('FsMetadataWriter: PATCH /fs/metadata (PostgreSQL, LMDB raft-kv, local blobs)', () => {
  let ctx: FsTestContext;
  let writer: FsMetadataWriter;
  let reader: FsReader;
  let tree: FsTree;

  beforeAll(async () => {
    ctx = await startFilesystemContext();
    writer = ctx.app.get(FsMetadataWriter);
    reader = ctx.app.get(FsReader);
    tree = ctx.app.get(FsTree);
  });

  afterAll(async () => ctx?.close());

  const { snapshot, lastOps, eventsSince, grant, write } = treeProbes(() => ctx.app);

  it('sets and removes keys and tags, shows them in stat and list, logs and emits metadata_change', async () => {
    const alice = fsPrincipal();
    await write(alice, '/docs/a.md', 'hello');
    const first = await writer.update(alice, '/docs/a.md', {
      set: { status: 'draft', priority: 2, reviewed: false },
      addTags: ['b-tag', 'a-tag'],
    });
    expect(first).toMatchObject({
      path: '/docs/a.md',
      metadata: { status: 'draft', priority: 2, reviewed: false },
      tags: ['a-tag', 'b-tag'],
    });
    expect(first.revision).not.toBeNull();
    const second = await writer.update(alice, '/docs/a.md', {
      set: { status: 'final' },
      unset: ['priority'],
      removeTags: ['b-tag'],
      addTags: ['team/search'],
    });
    expect(second.metadata).toEqual({ status: 'final', reviewed: false });
    expect(second.tags).toEqual(['a-tag', 'team/search']);

    const stat = await reader.stat(alice, '/docs/a.md', { minRevision: BigInt(second.revision!) });
    expect(stat).toMatchObject({ metadata: second.metadata, tags: second.tags, version: 1 });
    const listed = await reader.list(alice, '/docs');
    expect(listed.items[0]).toMatchObject({ metadata: second.metadata, tags: second.tags });
    expect((await lastOps(alice.zoneId, 1)).map((op) => op.op)).toEqual(['metadata']);
    const events = (await eventsSince(alice.zoneId, 0)).filter((event) => event.type === 'metadata_change');
    expect(events).toHaveLength(2);
    expect(events[1]!.payload).toMatchObject({
      path: '/docs/a.md',
      set: { status: 'final' },
      unset: ['priority'],
      addTags: ['team/search'],
      removeTags: ['b-tag'],
      tags: ['a-tag', 'team/search'],
    });
  });

  it('works on directories and keeps metadata through a rename', async () => {
    const alice = fsPrincipal();
    await tree.mkdir(alice, '/dir');
    await writer.update(alice, '/dir', { addTags: ['project'] });
    await tree.rename(alice, '/dir', '/moved');
    expect((await reader.stat(alice, '/moved')).tags).toEqual(['project']);
  });

  it.each([
    [{ set: { 'bad key': 1 } }, 'set.bad key'],
    [{ set: { ['k'.repeat(65)]: 1 } }, `set.${'k'.repeat(65)}`],
    [{ set: { nested: { a: 1 } } }, 'set.nested'],
    [{ set: { big: 'x'.repeat(1025) } }, 'set.big'],
    [{ set: { inf: Number.POSITIVE_INFINITY } }, 'set.inf'],
    [{ unset: ['-leading'] }, 'unset[0]'],
    [{ set: { a: 1 }, unset: ['a'] }, 'unset[0]'],
    [{ addTags: ['has space'] }, 'addTags[0]'],
    [{ addTags: [''] }, 'addTags[0]'],
    [{ addTags: ['x'], removeTags: ['x'] }, 'removeTags[0]'],
    [{}, 'set'],
  ])('rejects change #%# with a 400 naming its field, changing nothing', async (change, field) => {
    const alice = fsPrincipal();
    await write(alice, '/f.txt', 'x');
    const before = await snapshot(alice.zoneId);
    await expect(writer.update(alice, '/f.txt', change as never)).rejects.toMatchObject({
      status: 400,
      code: 'INVALID_METADATA',
      details: { field },
    });
    expect(await snapshot(alice.zoneId)).toEqual(before);
  });

  it('enforces the count limits, ifMatch, editor permission, and refuses / and missing paths', async () => {
    const alice = fsPrincipal();
    const bob = fsPrincipal({ zoneId: alice.zoneId });
    await write(alice, '/f.txt', 'x');
    const tooMany = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, i]));
    await expect(writer.update(alice, '/f.txt', { set: tooMany })).rejects.toMatchObject({ status: 400 });
    const tags = Array.from({ length: 65 }, (_, i) => `t${i}`);
    await expect(writer.update(alice, '/f.txt', { addTags: tags })).rejects.toMatchObject({ status: 400 });
    await expect(writer.update(alice, '/f.txt', { set: { a: 1 }, ifMatch: 'nope' })).rejects.toMatchObject({
      status: 412,
    });
    const stat = await reader.stat(alice, '/f.txt');
    await expect(
      writer.update(alice, '/f.txt', { set: { a: 1 }, ifMatch: stat.etag! }),
    ).resolves.toMatchObject({ metadata: { a: 1 } });
    await expect(writer.update(alice, '/', { set: { a: 1 } })).rejects.toMatchObject({ status: 409 });
    await expect(writer.update(alice, '/missing', { set: { a: 1 } })).rejects.toMatchObject({ status: 404 });

    await expect(writer.update(bob, '/f.txt', { set: { a: 2 } })).rejects.toMatchObject({ status: 403 });
    await grant(alice, stat.id!, 'viewer', bob);
    await expect(writer.update(bob, '/f.txt', { set: { a: 2 } })).rejects.toMatchObject({ status: 403 });
    await grant(alice, stat.id!, 'editor', bob);
    await expect(writer.update(bob, '/f.txt', { set: { a: 2 } })).resolves.toMatchObject({
      metadata: { a: 2 },
    });
  });
});
