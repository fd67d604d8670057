import { text } from 'node:stream/consumers';
import type { Principal } from '@nexus/core';
import { RebacTuplesService } from '@nexus/rebac';
import { DataSource } from 'typeorm';
import { bodyOf, fsPrincipal, startFilesystemContext } from '../testing';
import type { FsTestContext } from '../testing';
import { FileReader } from './file-reader.service';
import { FileWriter } from './file-writer.service';
import { FsLocks } from './fs-locks.service';
import { FsReader } from './fs-reader.service';
import { FsTree } from './fs-tree.service';

describe('FsTree: mkdir, rmdir, delete, rename, copy (PostgreSQL, LMDB raft-kv, local blobs)', () => {
  let ctx: FsTestContext;
  let tree: FsTree;
  let writer: FileWriter;
  let reader: FsReader;
  let files: FileReader;
  let locks: FsLocks;
  let tuples: RebacTuplesService;
  let db: DataSource;

  beforeAll(async () => {
    ctx = await startFilesystemContext();
    tree = ctx.app.get(FsTree);
    writer = ctx.app.get(FileWriter);
    reader = ctx.app.get(FsReader);
    files = ctx.app.get(FileReader);
    locks = ctx.app.get(FsLocks);
    tuples = ctx.app.get(RebacTuplesService);
    db = ctx.app.get(DataSource);
  });

  afterAll(async () => ctx?.close());

  interface Counts {
    versions: number;
    ops: number;
    events: number;
    tuples: number;
    refs: number;
  }

  /** Everything a rejected request must leave as it was. */
  async function snapshot(zoneId: string) {
    const [counts] = await db.query<Counts[]>(
      `SELECT
         (SELECT count(*) FROM file_versions WHERE zone_id = $1)::int AS versions,
         (SELECT count(*) FROM operation_log WHERE zone_id = $1)::int AS ops,
         (SELECT count(*) FROM file_events WHERE zone_id = $1)::int AS events,
         (SELECT count(*) FROM relation_tuples WHERE zone_id = $1)::int AS tuples,
         (SELECT coalesce(sum(ref_count), 0) FROM content_blobs)::int AS refs`,
      [zoneId],
    );
    const live = await db.query<{ path: string; id: string }[]>(
      `SELECT path, id FROM file_paths WHERE zone_id = $1 AND deleted_at IS NULL ORDER BY path`,
      [zoneId],
    );
    return { ...counts!, live };
  }

  async function refCount(hash: string): Promise<number> {
    const [row] = await db.query<{ ref_count: number }[]>(
      'SELECT ref_count FROM content_blobs WHERE hash = $1',
      [hash],
    );
    return row!.ref_count;
  }

  async function tuplesNaming(zoneId: string, ids: readonly string[]): Promise<number> {
    const [row] = await db.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM relation_tuples WHERE zone_id = $1
         AND ((object_type = 'file' AND object_id = ANY($2)) OR (subject_type = 'file' AND subject_id = ANY($2)))`,
      [zoneId, ids],
    );
    return row!.n;
  }

  async function liveChildren(zoneId: string, dir: string): Promise<number> {
    const [row] = await db.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM file_paths WHERE zone_id = $1 AND parent_path = $2 AND deleted_at IS NULL`,
      [zoneId, dir],
    );
    return row!.n;
  }

  async function parentOf(zoneId: string, id: string): Promise<string[]> {
    const rows = await db.query<{ subject_id: string }[]>(
      `SELECT subject_id FROM relation_tuples
        WHERE zone_id = $1 AND object_type = 'file' AND object_id = $2 AND relation = 'parent'`,
      [zoneId, id],
    );
    return rows.map((row) => row.subject_id);
  }

  async function lastOps(zoneId: string, n = 1) {
    return db.query<{ op: string; path: string; from_path: string | null; details: unknown }[]>(
      `SELECT op, path, from_path, details FROM operation_log WHERE zone_id = $1 ORDER BY created_at DESC, id LIMIT $2`,
      [zoneId, n],
    );
  }

  async function eventsSince(zoneId: string, before: number) {
    const rows = await db.query<{ type: string; path: string; payload: Record<string, unknown> }[]>(
      `SELECT type, path, payload FROM file_events WHERE zone_id = $1 ORDER BY sequence`,
      [zoneId],
    );
    return rows.slice(before);
  }

  function grant(owner: Principal, id: string, relation: string, to: Principal) {
    return tuples.write(owner.zoneId, {
      writes: [{ object: { type: 'file', id }, relation, subject: { type: 'user', id: to.subjectId } }],
    });
  }

  async function write(principal: Principal, path: string, content = path) {
    return writer.write(principal, path, bodyOf(content), { parents: true });
  }

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
