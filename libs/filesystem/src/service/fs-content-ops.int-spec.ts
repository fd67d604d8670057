import { buffer, text } from 'node:stream/consumers';
import type { Principal } from '@nexus/core';
import { OutboxEvent } from '@nexus/storage-models';
import { DataSource } from 'typeorm';
import type { BlobStore } from '../blob/blob-store';
import { ContentBlob } from '../entities/content-blob.entity';
import { FilePath } from '../entities/file-path.entity';
import { FileVersion } from '../entities/file-version.entity';
import { OperationLogEntry } from '../entities/operation-log.entity';
import { BLOB_STORE } from '../filesystem.tokens';
import { bodyOf, fsPrincipal, startFilesystemContext } from '../testing';
import type { FsTestContext } from '../testing';
import { FileReader } from './file-reader.service';
import { FileWriter } from './file-writer.service';
import { FsContentOps } from './fs-content-ops.service';
import { FsLocks } from './fs-locks.service';
import { MiB } from './text-content';

describe('FsContentOps (PostgreSQL, LMDB raft-kv, local blobs)', () => {
  let ctx: FsTestContext;
  let ops: FsContentOps;
  let writer: FileWriter;
  let files: FileReader;
  let db: DataSource;
  let blobs: BlobStore;

  beforeAll(async () => {
    // 9 MiB per file: room for an edit target above the 8 MiB edit limit, and batches can exceed it.
    ctx = await startFilesystemContext({ NEXUS_MAX_FILE_BYTES: String(9 * MiB) });
    ops = ctx.app.get(FsContentOps);
    writer = ctx.app.get(FileWriter);
    files = ctx.app.get(FileReader);
    db = ctx.app.get(DataSource);
    blobs = ctx.app.get<BlobStore>(BLOB_STORE);
  });

  afterAll(async () => ctx?.close());

  const read = async (principal: Principal, path: string, version?: number) =>
    text((await files.open(principal, path, { version })).body);

  /** Everything a mutation writes in the zone, to prove a failed one wrote nothing. */
  const rowsOf = async (zoneId: string) => ({
    paths: await db.getRepository(FilePath).count({ where: { zoneId } }),
    versions: await db.getRepository(FileVersion).count({ where: { zoneId } }),
    ops: await db.getRepository(OperationLogEntry).count({ where: { zoneId } }),
    events: await db.getRepository(OutboxEvent).count({ where: { zoneId } }),
  });

  const opsOf = (zoneId: string) =>
    db.getRepository(OperationLogEntry).find({ where: { zoneId }, order: { createdAt: 'ASC' } });

  describe('batch', () => {
    it('writes every file in one transaction, creating parents, with one op-log row and one event per file', async () => {
      const alice = fsPrincipal();
      await writer.write(alice, '/docs/old.txt', bodyOf('old'), { parents: true });
      const old = await files.describe(alice, '/docs/old.txt');
      const result = await ops.batch(
        alice,
        [
          { path: '/docs/a/one.txt', content: 'one' },
          {
            path: '/docs/b/two.bin',
            content: Buffer.from([0, 1, 2, 255]).toString('base64'),
            encoding: 'base64',
          },
          { path: '/docs/old.txt', content: 'new' },
        ],
        { ifMatch: { '/docs/old.txt': `"${old.etag}"` } },
      );
      expect(result.revision).not.toBeNull();
      expect(result.items.map((item) => [item.path, item.version, item.created])).toEqual([
        ['/docs/a/one.txt', 1, true],
        ['/docs/b/two.bin', 1, true],
        ['/docs/old.txt', 2, false],
      ]);
      expect(await read(alice, '/docs/a/one.txt')).toBe('one');
      const binary = await files.open(alice, '/docs/b/two.bin');
      expect([...(await buffer(binary.body))]).toEqual([0, 1, 2, 255]);
      expect(await read(alice, '/docs/old.txt')).toBe('new');

      const log = await opsOf(alice.zoneId);
      expect(log.map((op) => op.op)).toEqual(['write', 'batch']);
      expect(log[1]).toMatchObject({
        path: '/docs',
        revision: result.revision,
        details: { paths: ['/docs/a/one.txt', '/docs/b/two.bin', '/docs/old.txt'], count: 3 },
      });
      const events = await db
        .getRepository(OutboxEvent)
        .find({ where: { zoneId: alice.zoneId, aggregateType: 'file' }, order: { sequence: 'ASC' } });
      expect(events.slice(2).map((event) => [event.type, event.payload.path])).toEqual([
        ['dir_create', '/docs/a'],
        ['file_write', '/docs/a/one.txt'],
        ['dir_create', '/docs/b'],
        ['file_write', '/docs/b/two.bin'],
        ['file_write', '/docs/old.txt'],
      ]);
    });

    it('rejects bad input with 400 before storing anything', async () => {
      const bob = fsPrincipal();
      const bad: [Parameters<FsContentOps['batch']>[1], Record<string, string>?][] = [
        [[]],
        [Array.from({ length: 1001 }, (_, i) => ({ path: `/f${i}`, content: '' }))],
        [
          [
            { path: '/a.txt', content: 'x' },
            { path: '/a.txt', content: 'y' },
          ],
        ],
        [[{ path: '/a.bin', content: 'abc', encoding: 'base64' }]],
        [[{ path: '/a.bin', content: 'a$bc', encoding: 'base64' }]],
        [[{ path: '/x/../a.txt', content: 'x' }]],
        [[{ path: '/a.txt', content: 'x' }], { '/b.txt': '"1-abc"' }],
      ];
      for (const [writes, ifMatch] of bad)
        await expect(ops.batch(bob, writes, { ifMatch })).rejects.toMatchObject({ status: 400 });
      await expect(ops.batch(bob, [{ path: '/', content: 'x' }])).rejects.toMatchObject({ status: 409 });
      expect(await rowsOf(bob.zoneId)).toEqual({ paths: 0, versions: 0, ops: 0, events: 0 });
    });

    it('writes nothing when one entry fails inside the transaction or one ifMatch fails', async () => {
      const carol = fsPrincipal();
      const kept = await writer.write(carol, '/kept.txt', bodyOf('kept'));
      const before = await rowsOf(carol.zoneId);
      // The second entry needs /kept.txt to be a directory: the first entry's row must roll back too.
      await expect(
        ops.batch(carol, [
          { path: '/new/a.txt', content: 'a' },
          { path: '/kept.txt/b.txt', content: 'b' },
        ]),
      ).rejects.toMatchObject({ status: 409, code: 'NOT_A_DIRECTORY' });
      await expect(
        ops.batch(
          carol,
          [
            { path: '/new/a.txt', content: 'a' },
            { path: '/kept.txt', content: 'changed' },
          ],
          {
            ifMatch: { '/kept.txt': '"1-stale"' },
          },
        ),
      ).rejects.toMatchObject({ status: 412 });
      expect(await rowsOf(carol.zoneId)).toEqual(before);
      expect(await read(carol, '/kept.txt')).toBe('kept');
      expect((await files.describe(carol, '/kept.txt')).etag).toBe(kept.etag);
    });

    it('refuses a batch whose decoded total exceeds the size limit (413)', async () => {
      const dan = fsPrincipal();
      const half = 'x'.repeat(5 * MiB);
      await expect(
        ops.batch(dan, [
          { path: '/a.txt', content: half },
          { path: '/b.txt', content: half },
        ]),
      ).rejects.toMatchObject({ status: 413 });
      expect(await rowsOf(dan.zoneId)).toEqual({ paths: 0, versions: 0, ops: 0, events: 0 });
    });

    it('answers 423 when another subject holds a lock on a path', async () => {
      const owner = fsPrincipal({ role: 'admin' });
      const other = fsPrincipal({ zoneId: owner.zoneId, role: 'admin' });
      await writer.write(owner, '/locked.txt', bodyOf('x'));
      await ctx.app.get(FsLocks).lock(owner, '/locked.txt', 60_000);
      await expect(ops.batch(other, [{ path: '/locked.txt', content: 'y' }])).rejects.toMatchObject({
        status: 423,
      });
      await expect(ops.batch(owner, [{ path: '/locked.txt', content: 'y' }])).resolves.toMatchObject({
        items: [{ version: 2 }],
      });
    });
  });

  describe('edit', () => {
    it('applies edits in order, literally, as one new version with an edit op-log row', async () => {
      const erin = fsPrincipal();
      await writer.write(erin, '/notes.md', bodyOf('hello world\nfoo\nfoo\n'));
      const result = await ops.edit(erin, '/notes.md', [
        { find: 'hello', replace: 'goodbye' },
        { find: 'foo', replace: 'bar', all: true },
        { find: 'goodbye world', replace: '$& ok' },
      ]);
      expect(result).toMatchObject({ path: '/notes.md', version: 2, replacements: 4, created: false });
      expect(await read(erin, '/notes.md')).toBe('$& ok\nbar\nbar\n');
      const log = await opsOf(erin.zoneId);
      expect(log[1]).toMatchObject({ op: 'edit', path: '/notes.md', details: { edits: 3, replacements: 4 } });
      const events = await db
        .getRepository(OutboxEvent)
        .count({ where: { zoneId: erin.zoneId, aggregateType: 'file' } });
      expect(events).toBe(2);
    });

    it('names the edit that does not match, or matches more than once, and writes nothing', async () => {
      const fay = fsPrincipal();
      await writer.write(fay, '/a.txt', bodyOf('one two two'));
      const before = await rowsOf(fay.zoneId);
      await expect(
        ops.edit(fay, '/a.txt', [
          { find: 'one', replace: '1' },
          { find: 'three', replace: '3' },
        ]),
      ).rejects.toMatchObject({ status: 409, code: 'EDIT_MISMATCH', details: { index: 1 } });
      await expect(ops.edit(fay, '/a.txt', [{ find: 'two', replace: '2' }])).rejects.toMatchObject({
        status: 409,
        code: 'EDIT_AMBIGUOUS',
        details: { index: 0, occurrences: 2 },
      });
      await expect(ops.edit(fay, '/a.txt', [{ find: '', replace: 'x' }])).rejects.toMatchObject({
        status: 400,
      });
      await expect(ops.edit(fay, '/a.txt', [])).rejects.toMatchObject({ status: 400 });
      expect(await rowsOf(fay.zoneId)).toEqual(before);
      expect(await read(fay, '/a.txt')).toBe('one two two');
    });

    it('refuses binary files, directories, missing files and files above the edit limit', async () => {
      const gus = fsPrincipal();
      await writer.write(gus, '/dir/blob.bin', bodyOf(Uint8Array.from([0xff, 0xfe, 0x00, 0x41])), {
        parents: true,
      });
      await writer.write(gus, '/big.txt', bodyOf(Buffer.alloc(8 * MiB + 1, 'a')));
      const edit = [{ find: 'a', replace: 'b' }];
      await expect(ops.edit(gus, '/dir/blob.bin', edit)).rejects.toMatchObject({
        status: 409,
        code: 'NOT_TEXT',
      });
      await expect(ops.edit(gus, '/dir', edit)).rejects.toMatchObject({
        status: 409,
        code: 'IS_A_DIRECTORY',
      });
      await expect(ops.edit(gus, '/nope.txt', edit)).rejects.toMatchObject({ status: 404 });
      await expect(ops.edit(gus, '/big.txt', edit)).rejects.toMatchObject({ status: 413 });
    });

    it('honours the caller ifMatch', async () => {
      const hal = fsPrincipal();
      const v1 = await writer.write(hal, '/a.txt', bodyOf('v1'));
      await writer.write(hal, '/a.txt', bodyOf('v2'));
      const edit = [{ find: 'v2', replace: 'v3' }];
      await expect(ops.edit(hal, '/a.txt', edit, { ifMatch: `"${v1.etag}"` })).rejects.toMatchObject({
        status: 412,
      });
      const current = await files.describe(hal, '/a.txt');
      await expect(ops.edit(hal, '/a.txt', edit, { ifMatch: `"${current.etag}"` })).resolves.toMatchObject({
        version: 3,
      });
    });

    it('answers 412 instead of losing a write that lands between its read and its write', async () => {
      const ivy = fsPrincipal();
      await writer.write(ivy, '/race.txt', bodyOf('base'));
      const realPut = blobs.put.bind(blobs);
      const put = jest.spyOn(blobs, 'put').mockImplementationOnce(async (source, options) => {
        await writer.write(ivy, '/race.txt', bodyOf('concurrent'));
        return realPut(source, options);
      });
      try {
        await expect(ops.edit(ivy, '/race.txt', [{ find: 'base', replace: 'edited' }])).rejects.toMatchObject(
          {
            status: 412,
          },
        );
      } finally {
        put.mockRestore();
      }
      expect(await read(ivy, '/race.txt')).toBe('concurrent');
      expect((await opsOf(ivy.zoneId)).map((op) => op.op)).toEqual(['write', 'write']);
    });
  });

  describe('versions', () => {
    it('lists versions newest first, page by page', async () => {
      const jan = fsPrincipal();
      for (let i = 1; i <= 5; i++) await writer.write(jan, '/v.txt', bodyOf(`v${i}`));
      const first = await ops.versions(jan, '/v.txt', { limit: 2 });
      expect(first.items.map((item) => item.version)).toEqual([5, 4]);
      expect(first.items[0]).toEqual({
        version: 5,
        size: 2,
        contentHash: expect.stringMatching(/^[0-9a-f]{64}$/),
        mimeType: 'text/plain',
        etag: (await files.describe(jan, '/v.txt')).etag,
        author: `user:${jan.subjectId}`,
        createdAt: expect.any(String),
      });
      const second = await ops.versions(jan, '/v.txt', { limit: 2, cursor: first.nextCursor! });
      expect(second.items.map((item) => item.version)).toEqual([3, 2]);
      const last = await ops.versions(jan, '/v.txt', { limit: 2, cursor: second.nextCursor! });
      expect(last).toMatchObject({ items: [{ version: 1 }], nextCursor: null });
      expect((await ops.versions(jan, '/v.txt')).items).toHaveLength(5);
    });

    it('refuses directories, bad limits and bad cursors', async () => {
      const kim = fsPrincipal();
      await writer.write(kim, '/d/f.txt', bodyOf('x'), { parents: true });
      await expect(ops.versions(kim, '/d', {})).rejects.toMatchObject({
        status: 409,
        code: 'IS_A_DIRECTORY',
      });
      await expect(ops.versions(kim, '/d/f.txt', { limit: 0 })).rejects.toMatchObject({ status: 400 });
      await expect(ops.versions(kim, '/d/f.txt', { cursor: 'garbage' })).rejects.toMatchObject({
        status: 400,
      });
      await expect(ops.versions(kim, '/d/none.txt', {})).rejects.toMatchObject({ status: 404 });
    });
  });

  describe('restore', () => {
    it('appends a version that references the old blob', async () => {
      const lea = fsPrincipal();
      const one = await writer.write(lea, '/r.txt', bodyOf('restore me'));
      await writer.write(lea, '/r.txt', bodyOf('replacement'));
      const refCount = async () =>
        (await db.getRepository(ContentBlob).findOneByOrFail({ hash: one.contentHash })).refCount;
      const refsBefore = await refCount();
      const restored = await ops.restore(lea, '/r.txt', 1);
      expect(restored).toMatchObject({
        path: '/r.txt',
        version: 3,
        contentHash: one.contentHash,
        created: false,
      });
      expect(await read(lea, '/r.txt')).toBe('restore me');
      expect(await refCount()).toBe(refsBefore + 1);
      const log = await opsOf(lea.zoneId);
      expect(log[2]).toMatchObject({
        op: 'restore',
        path: '/r.txt',
        details: { restoredFrom: 1, version: 3 },
      });
    });

    it('answers 404 for an unknown version and 400 for a bad one, writing nothing', async () => {
      const max = fsPrincipal();
      await writer.write(max, '/r.txt', bodyOf('x'));
      const before = await rowsOf(max.zoneId);
      await expect(ops.restore(max, '/r.txt', 7)).rejects.toMatchObject({
        status: 404,
        code: 'VERSION_NOT_FOUND',
      });
      await expect(ops.restore(max, '/r.txt', 0)).rejects.toMatchObject({ status: 400 });
      expect(await rowsOf(max.zoneId)).toEqual(before);
    });
  });

  describe('diff', () => {
    it('diffs two versions as a unified diff', async () => {
      const ned = fsPrincipal();
      await writer.write(ned, '/d.txt', bodyOf('a\nb\nc\nd\ne\nf\ng\nh\n'));
      await writer.write(ned, '/d.txt', bodyOf('a\nb\nc\nD\ne\nf\ng\nh\ni\n'));
      expect(await ops.diff(ned, '/d.txt', 1, 2)).toEqual({
        path: '/d.txt',
        from: 1,
        to: 2,
        diff:
          '--- a/d.txt@v1\n+++ b/d.txt@v2\n' + '@@ -1,8 +1,9 @@\n a\n b\n c\n-d\n+D\n e\n f\n g\n h\n+i\n',
      });
      expect((await ops.diff(ned, '/d.txt', 2, 2)).diff).toBe('');
    });

    it('refuses binary versions, versions above 1 MiB and unknown versions', async () => {
      const ola = fsPrincipal();
      await writer.write(ola, '/bin', bodyOf(Uint8Array.from([0xc3, 0x28])));
      await writer.write(ola, '/bin', bodyOf('text'));
      await writer.write(ola, '/big.txt', bodyOf(Buffer.alloc(MiB + 1, 'a')));
      await writer.write(ola, '/big.txt', bodyOf('small'));
      await expect(ops.diff(ola, '/bin', 1, 2)).rejects.toMatchObject({ status: 409, code: 'NOT_TEXT' });
      await expect(ops.diff(ola, '/big.txt', 1, 2)).rejects.toMatchObject({ status: 413 });
      await expect(ops.diff(ola, '/big.txt', 2, 3)).rejects.toMatchObject({
        status: 404,
        code: 'VERSION_NOT_FOUND',
      });
      await expect(ops.diff(ola, '/big.txt', 0, 2)).rejects.toMatchObject({ status: 400 });
    });
  });

  describe('permissions', () => {
    let owner: Principal;

    beforeAll(async () => {
      owner = fsPrincipal();
      await writer.write(owner, '/private/plan.md', bodyOf('# plan\n'), { parents: true });
      await writer.write(owner, '/private/plan.md', bodyOf('# plan v2\n'));
    });

    const everyOperation = (principal: Principal) => ({
      batch: () => ops.batch(principal, [{ path: '/private/plan.md', content: 'mine' }]),
      edit: () => ops.edit(principal, '/private/plan.md', [{ find: 'plan', replace: 'mine' }]),
      versions: () => ops.versions(principal, '/private/plan.md', {}),
      restore: () => ops.restore(principal, '/private/plan.md', 1),
      diff: () => ops.diff(principal, '/private/plan.md', 1, 2),
    });

    /** Runs each operation, answering [name, error] so a failure names the operation. */
    const failures = async (operations: Record<string, () => Promise<unknown>>) => {
      const seen: [string, unknown][] = [];
      for (const [name, attempt] of Object.entries(operations))
        seen.push([
          name,
          await attempt().then(
            () => 'succeeded',
            (error: unknown) => error,
          ),
        ]);
      return seen;
    };

    it('answers 403 to another user of the zone without grants, and writes nothing', async () => {
      const stranger = fsPrincipal({ zoneId: owner.zoneId });
      const before = await rowsOf(owner.zoneId);
      const operations = everyOperation(stranger);
      expect(await failures(operations)).toMatchObject(
        Object.keys(operations).map((name) => [name, { status: 403 }]),
      );
      expect(await rowsOf(owner.zoneId)).toEqual(before);
    });

    it('answers 404 to a principal of another zone, and never touches the owner zone', async () => {
      const outsider = fsPrincipal({ role: 'admin' });
      const before = await rowsOf(owner.zoneId);
      const { batch, ...reads } = everyOperation(outsider);
      expect(await failures(reads)).toMatchObject(Object.keys(reads).map((name) => [name, { status: 404 }]));
      // A batch writes the outsider's own zone: same path, separate tree.
      await expect(batch()).resolves.toMatchObject({ items: [{ version: 1, created: true }] });
      expect(await rowsOf(owner.zoneId)).toEqual(before);
      expect(await read(owner, '/private/plan.md')).toBe('# plan v2\n');
    });
  });
});
