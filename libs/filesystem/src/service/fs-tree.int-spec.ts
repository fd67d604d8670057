import { DataSource } from 'typeorm';
import { fsPrincipal, startFilesystemContext, treeProbes } from '../testing';
import type { FsTestContext } from '../testing';
import { FsLocks } from './fs-locks.service';
import { FsReader } from './fs-reader.service';
import { FsTree } from './fs-tree.service';

// rename and copy: fs-tree-transfer.int-spec.ts
describe('FsTree: mkdir, rmdir, delete, permissions, locks (PostgreSQL, LMDB raft-kv, local blobs)', () => {
  let ctx: FsTestContext;
  let tree: FsTree;
  let reader: FsReader;
  let locks: FsLocks;
  let db: DataSource;

  beforeAll(async () => {
    ctx = await startFilesystemContext();
    tree = ctx.app.get(FsTree);
    reader = ctx.app.get(FsReader);
    locks = ctx.app.get(FsLocks);
    db = ctx.app.get(DataSource);
  });

  afterAll(async () => ctx?.close());

  const { snapshot, refCount, tuplesNaming, parentOf, lastOps, eventsSince, grant, write } = treeProbes(
    () => ctx.app,
  );

  describe('mkdir', () => {
    it('creates a directory, with its parents on request, and logs it', async () => {
      const alice = fsPrincipal();
      const made = await tree.mkdir(alice, '/docs');
      expect(made).toMatchObject({ path: '/docs', created: true });
      expect(made.revision).not.toBeNull();
      expect(await reader.stat(alice, '/docs')).toMatchObject({
        kind: 'dir',
        owner: `user:${alice.subjectId}`,
      });

      const deep = await tree.mkdir(alice, '/docs/a/b/c', { parents: true });
      expect(deep.created).toBe(true);
      const page = await reader.list(alice, '/docs', { recursive: true });
      expect(page.items.map((item) => item.path)).toEqual(['/docs/a', '/docs/a/b', '/docs/a/b/c']);
      expect((await lastOps(alice.zoneId, 5)).map((op) => [op.op, op.path])).toEqual([
        ['mkdir', '/docs/a/b/c'],
        ['mkdir', '/docs'],
      ]);
      expect((await eventsSince(alice.zoneId, 0)).map((event) => event.type)).toEqual(
        Array(4).fill('dir_create'),
      );
      const b = await reader.stat(alice, '/docs/a/b');
      expect(await parentOf(alice.zoneId, b.id!)).toEqual([(await reader.stat(alice, '/docs/a')).id]);
    });

    it('accepts an existing directory with parents and rejects the rest, changing nothing', async () => {
      const alice = fsPrincipal();
      await tree.mkdir(alice, '/dir');
      await write(alice, '/file.txt');
      const before = await snapshot(alice.zoneId);

      await expect(tree.mkdir(alice, '/dir', { parents: true })).resolves.toMatchObject({ created: false });
      await expect(tree.mkdir(alice, '/', { parents: true })).resolves.toMatchObject({ created: false });
      await expect(tree.mkdir(alice, '/dir')).rejects.toMatchObject({ status: 409, code: 'ALREADY_EXISTS' });
      await expect(tree.mkdir(alice, '/')).rejects.toMatchObject({ status: 409, code: 'ALREADY_EXISTS' });
      await expect(tree.mkdir(alice, '/file.txt')).rejects.toMatchObject({
        status: 409,
        code: 'NOT_A_DIRECTORY',
      });
      await expect(tree.mkdir(alice, '/file.txt', { parents: true })).rejects.toMatchObject({
        code: 'NOT_A_DIRECTORY',
      });
      await expect(tree.mkdir(alice, '/file.txt/sub', { parents: true })).rejects.toMatchObject({
        status: 409,
        code: 'NOT_A_DIRECTORY',
      });
      await expect(tree.mkdir(alice, '/missing/sub')).rejects.toMatchObject({
        status: 404,
        code: 'PARENT_NOT_FOUND',
      });
      await expect(tree.mkdir(alice, '/bad/../x')).rejects.toMatchObject({ status: 400 });
      expect(await snapshot(alice.zoneId)).toEqual(before);
    });
  });

  describe('rmdir', () => {
    it('removes an empty directory and refuses the root, files and non-empty directories', async () => {
      const alice = fsPrincipal();
      await tree.mkdir(alice, '/empty');
      await write(alice, '/full/x.txt');
      const before = await snapshot(alice.zoneId);

      await expect(tree.rmdir(alice, '/')).rejects.toMatchObject({ status: 409 });
      await expect(tree.rmdir(alice, '/full')).rejects.toMatchObject({
        status: 409,
        code: 'DIRECTORY_NOT_EMPTY',
      });
      await expect(tree.rmdir(alice, '/full/x.txt')).rejects.toMatchObject({
        status: 409,
        code: 'NOT_A_DIRECTORY',
      });
      await expect(tree.rmdir(alice, '/nope')).rejects.toMatchObject({ status: 404 });
      expect(await snapshot(alice.zoneId)).toEqual(before);

      const id = (await reader.stat(alice, '/empty')).id!;
      await expect(tree.rmdir(alice, '/empty')).resolves.toMatchObject({ path: '/empty', removed: 1 });
      await expect(reader.stat(alice, '/empty')).rejects.toMatchObject({ status: 404 });
      expect(await tuplesNaming(alice.zoneId, [id])).toBe(0);
      expect(await lastOps(alice.zoneId)).toMatchObject([{ op: 'rmdir', path: '/empty' }]);
    });

    it('removes a whole subtree recursively: rows, versions, blob references and tuples', async () => {
      const alice = fsPrincipal();
      const bob = fsPrincipal({ zoneId: alice.zoneId });
      const a = await write(alice, '/tree/a.txt', 'rmdir shared content');
      await write(alice, '/tree/a.txt', 'rmdir second version');
      const b = await write(alice, '/tree/sub/b.txt', 'rmdir shared content');
      await write(alice, '/keep.txt', 'rmdir shared content');
      const ids = (await reader.list(alice, '/tree', { recursive: true })).items.map((item) => item.id!);
      ids.push((await reader.stat(alice, '/tree')).id!);
      await grant(alice, ids[0]!, 'viewer', bob);
      expect(await refCount(a.contentHash)).toBe(3);
      const events = (await eventsSince(alice.zoneId, 0)).length;

      const result = await tree.rmdir(alice, '/tree', { recursive: true });
      expect(result).toMatchObject({ path: '/tree', removed: 4 });
      // Version 1 of a.txt and b.txt referenced the shared blob; keep.txt still does.
      expect(await refCount(b.contentHash)).toBe(1);
      expect(await tuplesNaming(alice.zoneId, ids)).toBe(0);
      const [versions] = await db.query<{ n: number }[]>(
        'SELECT count(*)::int AS n FROM file_versions WHERE path_id = ANY($1)',
        [ids],
      );
      expect(versions!.n).toBe(0);
      for (const path of ['/tree', '/tree/a.txt', '/tree/sub', '/tree/sub/b.txt'])
        await expect(reader.stat(alice, path)).rejects.toMatchObject({ status: 404 });
      expect(await reader.stat(alice, '/keep.txt')).toMatchObject({ kind: 'file' });
      expect(await lastOps(alice.zoneId)).toMatchObject([{ op: 'rmdir', details: { removed: 4 } }]);
      expect(await eventsSince(alice.zoneId, events)).toMatchObject([
        { type: 'dir_delete', path: '/tree', payload: { removed: 4, files: 2, directories: 2 } },
      ]);
      // The path is free again.
      await expect(tree.mkdir(alice, '/tree')).resolves.toMatchObject({ created: true });
    });
  });

  describe('deleteFile', () => {
    it('deletes a file with its versions and blob reference, honouring If-Match', async () => {
      const alice = fsPrincipal();
      await write(alice, '/dir/keep.txt');
      const first = await write(alice, '/doomed.txt', 'delete me v1');
      const second = await write(alice, '/doomed.txt', 'delete me v2');
      const id = (await reader.stat(alice, '/doomed.txt')).id!;
      const before = await snapshot(alice.zoneId);

      await expect(tree.deleteFile(alice, '/dir')).rejects.toMatchObject({
        status: 409,
        code: 'IS_A_DIRECTORY',
      });
      await expect(tree.deleteFile(alice, '/')).rejects.toMatchObject({ code: 'IS_A_DIRECTORY' });
      await expect(
        tree.deleteFile(alice, '/doomed.txt', { ifMatch: `"${first.etag}"` }),
      ).rejects.toMatchObject({ status: 412 });
      await expect(tree.deleteFile(alice, '/absent.txt')).rejects.toMatchObject({ status: 404 });
      expect(await snapshot(alice.zoneId)).toEqual(before);

      const deleted = await tree.deleteFile(alice, '/doomed.txt', { ifMatch: `"${second.etag}"` });
      expect(deleted).toMatchObject({ path: '/doomed.txt' });
      expect(BigInt(deleted.revision!)).toBeGreaterThan(0n);
      await expect(reader.stat(alice, '/doomed.txt')).rejects.toMatchObject({ status: 404 });
      expect(await refCount(first.contentHash)).toBe(0);
      expect(await refCount(second.contentHash)).toBe(0);
      expect(await tuplesNaming(alice.zoneId, [id])).toBe(0);
      const after = await snapshot(alice.zoneId);
      expect(after.versions).toBe(before.versions - 2);
      expect(await lastOps(alice.zoneId)).toMatchObject([{ op: 'delete', path: '/doomed.txt' }]);
      expect((await eventsSince(alice.zoneId, 0)).pop()).toMatchObject({ type: 'file_delete' });
    });
  });

  describe('permissions and races', () => {
    it('needs editor on the source and on the destination', async () => {
      const alice = fsPrincipal();
      const bob = fsPrincipal({ zoneId: alice.zoneId });
      await write(alice, '/shared.txt', 'perm shared');
      await write(alice, '/alice/own.txt', 'perm own');
      await tree.mkdir(bob, '/bob');
      const shared = (await reader.stat(alice, '/shared.txt')).id!;
      await grant(alice, shared, 'viewer', bob);
      const before = await snapshot(alice.zoneId);

      await expect(tree.rename(bob, '/shared.txt', '/bob/shared.txt')).rejects.toMatchObject({ status: 403 });
      await expect(tree.deleteFile(bob, '/shared.txt')).rejects.toMatchObject({ status: 403 });
      await expect(tree.rmdir(bob, '/alice', { recursive: true })).rejects.toMatchObject({ status: 403 });
      await expect(tree.mkdir(bob, '/alice/bobs')).rejects.toMatchObject({ status: 403 });
      await grant(alice, shared, 'editor', bob);
      const granted = await snapshot(alice.zoneId);
      await expect(tree.rename(bob, '/shared.txt', '/alice/shared.txt')).rejects.toMatchObject({
        status: 403,
      });
      await expect(tree.copy(bob, '/shared.txt', '/alice/copy.txt')).rejects.toMatchObject({ status: 403 });
      expect({ ...granted, tuples: before.tuples }).toEqual(before);
      expect(await snapshot(alice.zoneId)).toEqual(granted);

      await expect(tree.rename(bob, '/shared.txt', '/bob/shared.txt')).resolves.toMatchObject({ moved: 1 });
      expect(await reader.stat(alice, '/bob/shared.txt')).toMatchObject({ id: shared });
    });

    it('lets exactly one of two concurrent renames of the same entry win', async () => {
      const alice = fsPrincipal();
      await write(alice, '/race/a.txt', 'race');
      const outcomes = await Promise.allSettled([
        tree.rename(alice, '/race', '/left'),
        tree.rename(alice, '/race', '/right'),
      ]);
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
      const failed = outcomes.find((outcome) => outcome.status === 'rejected');
      expect((failed as PromiseRejectedResult).reason).toMatchObject({ status: 404 });
      const live = (await snapshot(alice.zoneId)).live.map((row) => row.path);
      expect([
        ['/left', '/left/a.txt'],
        ['/right', '/right/a.txt'],
      ]).toContainEqual(live);
      expect((await lastOps(alice.zoneId, 5)).filter((op) => op.op === 'rename')).toHaveLength(1);
    });
  });

  describe('locks and zones', () => {
    it('answers 423 while another subject holds a lock on the path or below a moved directory', async () => {
      const alice = fsPrincipal();
      const admin = fsPrincipal({ zoneId: alice.zoneId, role: 'admin' });
      await write(alice, '/locked.txt');
      await write(alice, '/dir/inner/held.txt');
      await locks.lock(admin, '/locked.txt', 60_000);
      await locks.lock(admin, '/dir/inner/held.txt', 60_000);
      const before = await snapshot(alice.zoneId);

      await expect(tree.rename(alice, '/locked.txt', '/moved.txt')).rejects.toMatchObject({ status: 423 });
      await expect(tree.deleteFile(alice, '/locked.txt')).rejects.toMatchObject({ status: 423 });
      await expect(
        tree.copy(alice, '/dir/inner/held.txt', '/locked.txt', { overwrite: true }),
      ).rejects.toMatchObject({ status: 423 });
      await expect(tree.rename(alice, '/dir', '/elsewhere')).rejects.toMatchObject({ status: 423 });
      await expect(tree.rmdir(alice, '/dir', { recursive: true })).rejects.toMatchObject({ status: 423 });
      expect(await snapshot(alice.zoneId)).toEqual(before);

      // The holder itself is not stopped.
      await expect(tree.rename(admin, '/locked.txt', '/moved.txt')).resolves.toMatchObject({ moved: 1 });
      await locks.unlock(admin, '/dir/inner/held.txt');
      await expect(tree.rename(alice, '/dir', '/elsewhere')).resolves.toMatchObject({ moved: 3 });
    });

    it('does not let a principal of another zone see, move, copy or remove anything', async () => {
      const alice = fsPrincipal();
      const stranger = fsPrincipal({ role: 'admin' });
      await write(alice, '/secret/file.txt', 'zone secret');
      const before = await snapshot(alice.zoneId);

      await expect(reader.stat(stranger, '/secret/file.txt')).rejects.toMatchObject({ status: 404 });
      await expect(tree.rename(stranger, '/secret', '/mine')).rejects.toMatchObject({ status: 404 });
      await expect(tree.copy(stranger, '/secret/file.txt', '/mine.txt')).rejects.toMatchObject({
        status: 404,
      });
      await expect(tree.deleteFile(stranger, '/secret/file.txt')).rejects.toMatchObject({ status: 404 });
      await expect(tree.rmdir(stranger, '/secret', { recursive: true })).rejects.toMatchObject({
        status: 404,
      });
      await expect(tree.mkdir(stranger, '/secret/sub')).rejects.toMatchObject({ status: 404 });
      expect(await snapshot(alice.zoneId)).toEqual(before);
      expect((await snapshot(stranger.zoneId)).live).toEqual([]);
    });
  });
});
