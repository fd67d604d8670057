import { text } from 'node:stream/consumers';
import { bodyOf, fsPrincipal, startFilesystemContext, treeProbes } from '../testing';
import type { FsTestContext } from '../testing';
import { FileReader } from './file-reader.service';
import { FileWriter } from './file-writer.service';
import { FsReader } from './fs-reader.service';
import { FsTree } from './fs-tree.service';

describe('FsTree: rename and copy (PostgreSQL, LMDB raft-kv, local blobs)', () => {
  let ctx: FsTestContext;
  let tree: FsTree;
  let writer: FileWriter;
  let reader: FsReader;
  let files: FileReader;

  beforeAll(async () => {
    ctx = await startFilesystemContext();
    tree = ctx.app.get(FsTree);
    writer = ctx.app.get(FileWriter);
    reader = ctx.app.get(FsReader);
    files = ctx.app.get(FileReader);
  });

  afterAll(async () => ctx?.close());

  const { snapshot, refCount, tuplesNaming, liveChildren, parentOf, lastOps, eventsSince, grant, write } =
    treeProbes(() => ctx.app);

  describe('rename', () => {
    it('moves a file and rewires only its parent tuple', async () => {
      const alice = fsPrincipal();
      await write(alice, '/in/a.txt', 'rename a');
      await tree.mkdir(alice, '/out');
      const id = (await reader.stat(alice, '/in/a.txt')).id!;
      const outId = (await reader.stat(alice, '/out')).id!;

      const moved = await tree.rename(alice, '/in/a.txt', '/out/b.txt');
      expect(moved).toMatchObject({ from: '/in/a.txt', to: '/out/b.txt', moved: 1 });
      await expect(reader.stat(alice, '/in/a.txt')).rejects.toMatchObject({ status: 404 });
      expect(await reader.stat(alice, '/out/b.txt')).toMatchObject({ id, name: 'b.txt', version: 1 });
      expect(await text((await files.open(alice, '/out/b.txt')).body)).toBe('rename a');
      expect(await parentOf(alice.zoneId, id)).toEqual([outId]);
      expect(await lastOps(alice.zoneId)).toMatchObject([
        { op: 'rename', path: '/out/b.txt', from_path: '/in/a.txt' },
      ]);
      expect((await eventsSince(alice.zoneId, 0)).pop()).toMatchObject({
        type: 'file_rename',
        payload: { from: '/in/a.txt', to: '/out/b.txt', kind: 'file', moved: 1 },
      });

      // To `/`: the parent tuple goes, none replaces it.
      await tree.rename(alice, '/out/b.txt', '/top.txt');
      expect(await parentOf(alice.zoneId, id)).toEqual([]);
      expect(await reader.stat(alice, '/top.txt')).toMatchObject({ id, path: '/top.txt' });
    });

    it('rejects impossible moves and occupied destinations without changing anything', async () => {
      const alice = fsPrincipal();
      await write(alice, '/a/file.txt', 'rename errors');
      await write(alice, '/a/sub/deep.txt');
      await write(alice, '/other.txt');
      await tree.mkdir(alice, '/empty');
      const before = await snapshot(alice.zoneId);

      const cases: [string, string, Record<string, unknown>, object][] = [
        ['/a', '/a/sub/a', {}, { status: 409, code: 'INVALID_MOVE' }],
        ['/', '/x', {}, { status: 409 }],
        ['/a/file.txt', '/', { overwrite: true }, { status: 409 }],
        ['/a/file.txt', '/other.txt', {}, { status: 409, code: 'ALREADY_EXISTS' }],
        ['/a', '/empty', {}, { status: 409, code: 'ALREADY_EXISTS' }],
        ['/a/file.txt', '/empty', { overwrite: true }, { status: 409, code: 'IS_A_DIRECTORY' }],
        ['/a', '/other.txt', { overwrite: true }, { status: 409, code: 'NOT_A_DIRECTORY' }],
        ['/empty', '/a', { overwrite: true }, { status: 409, code: 'DIRECTORY_NOT_EMPTY' }],
        ['/a/file.txt', '/missing/x.txt', {}, { status: 404, code: 'PARENT_NOT_FOUND' }],
        ['/a/file.txt', '/other.txt/x.txt', {}, { status: 409, code: 'NOT_A_DIRECTORY' }],
        ['/nope.txt', '/nope2.txt', {}, { status: 404 }],
      ];
      for (const [from, to, options, error] of cases)
        await expect(tree.rename(alice, from, to, options)).rejects.toMatchObject(error);
      expect(await snapshot(alice.zoneId)).toEqual(before);

      await expect(tree.rename(alice, '/a', '/a')).resolves.toMatchObject({ moved: 0 });
      expect(await snapshot(alice.zoneId)).toEqual(before);
    });

    it('replaces a file with overwrite and frees the replaced blob reference', async () => {
      const alice = fsPrincipal();
      const source = await write(alice, '/new.txt', 'overwrite: the new content');
      const replaced = await write(alice, '/old.txt', 'overwrite: the replaced content');
      const replacedId = (await reader.stat(alice, '/old.txt')).id!;
      expect(await refCount(replaced.contentHash)).toBe(1);

      await expect(tree.rename(alice, '/new.txt', '/old.txt', { overwrite: true })).resolves.toMatchObject({
        moved: 1,
      });
      expect(await refCount(replaced.contentHash)).toBe(0);
      expect(await refCount(source.contentHash)).toBe(1);
      expect(await tuplesNaming(alice.zoneId, [replacedId])).toBe(0);
      expect(await text((await files.open(alice, '/old.txt')).body)).toBe('overwrite: the new content');
      await expect(reader.stat(alice, '/new.txt')).rejects.toMatchObject({ status: 404 });
      const types = (await eventsSince(alice.zoneId, 0)).slice(-2).map((event) => event.type);
      expect(types).toEqual(['file_delete', 'file_rename']);

      // A directory onto an empty directory.
      await write(alice, '/d1/x.txt');
      await tree.mkdir(alice, '/d2');
      await expect(tree.rename(alice, '/d1', '/d2', { overwrite: true })).resolves.toMatchObject({
        moved: 2,
      });
      expect(await reader.stat(alice, '/d2/x.txt')).toMatchObject({ kind: 'file' });
    });

    it('moves a directory of 1,000 files in one statement; permissions follow the entries', async () => {
      const alice = fsPrincipal();
      const bob = fsPrincipal({ zoneId: alice.zoneId });
      const carol = fsPrincipal({ zoneId: alice.zoneId });
      await tree.mkdir(alice, '/big');
      await tree.mkdir(alice, '/archive');
      const names = Array.from({ length: 1_000 }, (_, i) => `f${String(i).padStart(4, '0')}.txt`);
      for (let i = 0; i < names.length; i += 50)
        await Promise.all(names.slice(i, i + 50).map((name) => write(alice, `/big/${name}`, `big ${name}`)));
      expect(await liveChildren(alice.zoneId, '/big')).toBe(1_000);

      const bigId = (await reader.stat(alice, '/big')).id!;
      const child = await reader.stat(alice, '/big/f0421.txt');
      await grant(alice, child.id!, 'viewer', bob);
      await grant(alice, bigId, 'editor', bob);
      expect(await reader.stat(bob, '/big/f0421.txt')).toMatchObject({ id: child.id });
      const tuplesBefore = (await snapshot(alice.zoneId)).tuples;

      const result = await tree.rename(alice, '/big', '/archive/2026');
      expect(result).toMatchObject({ from: '/big', to: '/archive/2026', moved: 1_001 });

      expect(await liveChildren(alice.zoneId, '/archive/2026')).toBe(1_000);
      expect(await liveChildren(alice.zoneId, '/big')).toBe(0);
      await expect(reader.stat(alice, '/big')).rejects.toMatchObject({ status: 404 });
      await expect(reader.stat(alice, '/big/f0421.txt')).rejects.toMatchObject({ status: 404 });
      expect(await reader.stat(alice, '/archive/2026/f0999.txt')).toMatchObject({
        name: 'f0999.txt',
        path: '/archive/2026/f0999.txt',
      });
      // Only the top entry's parent tuple changed (none before: it sat in `/`).
      expect((await snapshot(alice.zoneId)).tuples).toBe(tuplesBefore + 1);
      expect(await parentOf(alice.zoneId, bigId)).toEqual([(await reader.stat(alice, '/archive')).id]);

      expect(await reader.stat(bob, '/archive/2026/f0421.txt')).toMatchObject({ id: child.id });
      expect(await text((await files.open(bob, '/archive/2026/f0421.txt')).body)).toBe('big f0421.txt');
      await expect(
        writer.write(bob, '/archive/2026/from-bob.txt', bodyOf('bob was here')),
      ).resolves.toMatchObject({ created: true });
      await expect(reader.stat(carol, '/archive/2026/f0421.txt')).rejects.toMatchObject({ status: 403 });
      await expect(writer.write(carol, '/archive/2026/carol.txt', bodyOf('no'))).rejects.toMatchObject({
        status: 403,
      });
      expect(await lastOps(alice.zoneId)).toMatchObject([
        { op: 'write', path: '/archive/2026/from-bob.txt' },
      ]);
      expect((await lastOps(alice.zoneId, 2))[1]).toMatchObject({
        op: 'rename',
        path: '/archive/2026',
        from_path: '/big',
        details: { moved: 1_001 },
      });

      // The same tree copied: 1,002 new entries, each sharing its blob.
      await expect(tree.copy(alice, '/archive/2026', '/copy')).resolves.toMatchObject({ copied: 1_002 });
      expect(await liveChildren(alice.zoneId, '/copy')).toBe(1_001);
      expect(await refCount(child.contentHash!)).toBe(2);
      expect(await reader.stat(alice, '/copy/f0421.txt')).toMatchObject({ contentHash: child.contentHash });
    }, 180_000);
  });

  describe('copy', () => {
    it('copies a file as a new entry owned by the copier that shares the blob', async () => {
      const alice = fsPrincipal();
      const bob = fsPrincipal({ zoneId: alice.zoneId });
      const original = await write(alice, '/src.txt', 'copy: shared blob');
      await write(alice, '/src.txt', 'copy: shared blob, v2');
      const second = (await reader.stat(alice, '/src.txt')).contentHash!;
      await grant(alice, (await reader.stat(alice, '/src.txt')).id!, 'viewer', bob);
      expect(await refCount(second)).toBe(1);

      const copied = await tree.copy(bob, '/src.txt', '/bob.txt');
      expect(copied).toMatchObject({ from: '/src.txt', to: '/bob.txt', copied: 1 });
      expect(await refCount(second)).toBe(2);
      expect(await refCount(original.contentHash)).toBe(1);
      const stat = await reader.stat(bob, '/bob.txt');
      expect(stat).toMatchObject({ version: 1, contentHash: second, owner: `user:${bob.subjectId}` });
      expect(await text((await files.open(bob, '/bob.txt')).body)).toBe('copy: shared blob, v2');
      await expect(reader.stat(alice, '/bob.txt')).rejects.toMatchObject({ status: 403 });
      expect(await lastOps(alice.zoneId)).toMatchObject([
        { op: 'copy', path: '/bob.txt', from_path: '/src.txt' },
      ]);
      expect((await eventsSince(alice.zoneId, 0)).pop()).toMatchObject({
        type: 'file_write',
        path: '/bob.txt',
      });

      // Viewer is not enough to write over the source; a stranger cannot even read it.
      const carol = fsPrincipal({ zoneId: alice.zoneId });
      await expect(tree.copy(carol, '/src.txt', '/carol.txt')).rejects.toMatchObject({ status: 403 });
      await expect(tree.copy(bob, '/bob.txt', '/src.txt', { overwrite: true })).rejects.toMatchObject({
        status: 403,
      });
    });

    it('copies a directory subtree with new ids and parent tuples to the new parents', async () => {
      const alice = fsPrincipal();
      const bob = fsPrincipal({ zoneId: alice.zoneId });
      const a = await write(alice, '/proj/a.txt', 'copy tree a');
      await write(alice, '/proj/sub/b.txt', 'copy tree b');
      await grant(alice, (await reader.stat(alice, '/proj')).id!, 'viewer', bob);
      const events = (await eventsSince(alice.zoneId, 0)).length;

      const result = await tree.copy(bob, '/proj', '/mine');
      expect(result).toMatchObject({ copied: 4 });
      expect(await refCount(a.contentHash)).toBe(2);
      const copies = (await reader.list(bob, '/mine', { recursive: true })).items;
      expect(copies.map((item) => [item.path, item.owner])).toEqual([
        ['/mine/a.txt', `user:${bob.subjectId}`],
        ['/mine/sub', `user:${bob.subjectId}`],
        ['/mine/sub/b.txt', `user:${bob.subjectId}`],
      ]);
      const byPath = new Map(copies.map((item) => [item.path, item.id!]));
      const mine = (await reader.stat(bob, '/mine')).id!;
      expect(await parentOf(alice.zoneId, byPath.get('/mine/a.txt')!)).toEqual([mine]);
      expect(await parentOf(alice.zoneId, byPath.get('/mine/sub/b.txt')!)).toEqual([byPath.get('/mine/sub')]);
      expect(await parentOf(alice.zoneId, mine)).toEqual([]);
      expect((await eventsSince(alice.zoneId, events)).map((event) => [event.type, event.path])).toEqual([
        ['dir_create', '/mine'],
        ['file_write', '/mine/a.txt'],
        ['dir_create', '/mine/sub'],
        ['file_write', '/mine/sub/b.txt'],
      ]);
      // The source is untouched.
      expect((await reader.list(alice, '/proj', { recursive: true })).items).toHaveLength(3);
      await expect(writer.write(bob, '/mine/sub/b.txt', bodyOf('bob edits his copy'))).resolves.toMatchObject(
        {
          version: 2,
        },
      );
    });

    it('applies the rename overwrite rules and changes nothing when it refuses', async () => {
      const alice = fsPrincipal();
      await write(alice, '/d/x.txt', 'copy rules');
      await write(alice, '/f.txt', 'copy rules f');
      const g = await write(alice, '/g.txt', 'copy rules g');
      await tree.mkdir(alice, '/empty');
      const before = await snapshot(alice.zoneId);

      const cases: [string, string, Record<string, unknown>, object][] = [
        ['/d', '/d/inner', {}, { status: 409, code: 'INVALID_MOVE' }],
        ['/f.txt', '/f.txt', {}, { status: 409, code: 'INVALID_MOVE' }],
        ['/f.txt', '/g.txt', {}, { status: 409, code: 'ALREADY_EXISTS' }],
        ['/f.txt', '/empty', { overwrite: true }, { status: 409, code: 'IS_A_DIRECTORY' }],
        ['/empty', '/d', { overwrite: true }, { status: 409, code: 'DIRECTORY_NOT_EMPTY' }],
        ['/f.txt', '/nowhere/f.txt', {}, { status: 404, code: 'PARENT_NOT_FOUND' }],
        ['/missing.txt', '/m.txt', {}, { status: 404 }],
      ];
      for (const [from, to, options, error] of cases)
        await expect(tree.copy(alice, from, to, options)).rejects.toMatchObject(error);
      expect(await snapshot(alice.zoneId)).toEqual(before);

      await expect(tree.copy(alice, '/f.txt', '/g.txt', { overwrite: true })).resolves.toMatchObject({
        copied: 1,
      });
      expect(await refCount(g.contentHash)).toBe(0);
      expect(await text((await files.open(alice, '/g.txt')).body)).toBe('copy rules f');
      await expect(tree.copy(alice, '/d', '/empty', { overwrite: true })).resolves.toMatchObject({
        copied: 2,
      });
      expect(await reader.stat(alice, '/empty/x.txt')).toMatchObject({ kind: 'file' });
    });
  });
});
