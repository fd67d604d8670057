import { createHash } from 'node:crypto';
import { mkdir, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import type { BlobStore } from '../blob/blob-store';
import type { LocalDiskBlobStore } from '../blob/local-disk-blob-store';
import { FilesystemModule } from '../filesystem.module';
import { BLOB_STORE } from '../filesystem.tokens';
import { FileWriter } from '../service/file-writer.service';
import { FsTree } from '../service/fs-tree.service';
import { bodyOf, fsJobContext, fsPrincipal, jobArtifacts, startFilesystemContext } from '../testing';
import type { FsTestContext } from '../testing';
import { BlobGcJobHandler } from './blob-gc.handler';
import { FS_GC_JOB } from './fs-job-types';

const TWO_HOURS_AGO = new Date(Date.now() - 2 * 3600 * 1000);
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('filesystem.gc (PostgreSQL, local blobs)', () => {
  let ctx: FsTestContext;
  let db: DataSource;
  let blobs: LocalDiskBlobStore;
  let writer: FileWriter;
  let tree: FsTree;
  let gc: BlobGcJobHandler;
  const alice = fsPrincipal();

  beforeAll(async () => {
    ctx = await startFilesystemContext({}, [FilesystemModule.forWorker({ schedule: false })]);
    db = ctx.app.get(DataSource);
    blobs = ctx.app.get<BlobStore>(BLOB_STORE) as LocalDiskBlobStore;
    writer = ctx.app.get(FileWriter);
    tree = ctx.app.get(FsTree);
    gc = ctx.app.get(BlobGcJobHandler);
  });

  afterAll(async () => ctx?.close());

  /** Writes `content` at `path` and deletes the file again: its blob is left with no reference. */
  async function unreferenced(path: string, content: string): Promise<string> {
    await writer.write(alice, path, bodyOf(content), { parents: true });
    await tree.deleteFile(alice, path);
    return sha256(content);
  }

  async function age(hash: string, options: { row?: boolean } = {}): Promise<void> {
    await utimes(blobs.pathOf(hash), TWO_HOURS_AGO, TWO_HOURS_AGO);
    if (options.row)
      await db.query(`UPDATE content_blobs SET unreferenced_since = $2 WHERE hash = $1`, [
        hash,
        TWO_HOURS_AGO,
      ]);
  }

  const rowOf = async (hash: string) =>
    (await db.query<unknown[]>(`SELECT 1 FROM content_blobs WHERE hash = $1`, [hash])).length;

  it('reclaims unreferenced and orphaned blobs past the grace period, keeps everything else, and reports it', async () => {
    const old = await unreferenced('/gc/old.txt', 'old');
    await age(old, { row: true });
    const recent = await unreferenced('/gc/recent.txt', 'recent');
    await age(recent);
    const touched = await unreferenced('/gc/touched.txt', 'touched');
    await age(touched, { row: true });
    // A writer deduplicating onto the blob (upload done, transaction not yet) refreshes it.
    expect(await blobs.put(bodyOf('touched'))).toMatchObject({ created: false });
    await writer.write(alice, '/gc/kept.txt', bodyOf('kept'));
    await age(sha256('kept'));
    // Crash between upload and commit: a blob file with no row.
    const orphan = (await blobs.put(bodyOf('orphan-old'))).hash;
    await age(orphan);
    const freshOrphan = (await blobs.put(bodyOf('orphan-new'))).hash;
    await mkdir(join(ctx.dataDir, 'cas', 'tmp'), { recursive: true });
    const temp = join(ctx.dataDir, 'cas', 'tmp', 'crashed.part');
    await writeFile(temp, 'partial');
    await utimes(temp, TWO_HOURS_AGO, TWO_HOURS_AGO);

    const context = await fsJobContext(ctx.app, FS_GC_JOB.type);
    const outcome = await gc.handle({ graceSeconds: 3600 }, context);

    const expected = {
      graceSeconds: 3600,
      unreferenced: { deleted: 1, bytesFreed: 3, keptRecentlyTouched: 1 },
      orphans: { deleted: 1, bytesFreed: 10, keptRecentlyTouched: 0 },
      tempFilesRemoved: 1,
      blobsDeleted: 2,
      bytesFreed: 13,
    };
    expect(outcome).toEqual({ status: 'succeeded', result: expected });
    expect(await jobArtifacts(ctx.app, context.jobId)).toEqual([
      { kind: 'blob_gc_report', name: 'blobs', data: expected },
    ]);
    expect(await blobs.exists(old)).toBe(false);
    expect(await rowOf(old)).toBe(0);
    expect(await blobs.exists(orphan)).toBe(false);
    expect(await rowOf(orphan)).toBe(0);
    for (const hash of [recent, touched, sha256('kept'), freshOrphan])
      expect(await blobs.exists(hash)).toBe(true);
    expect(await Promise.all([recent, touched, sha256('kept')].map(rowOf))).toEqual([1, 1, 1]);
    expect(await rowOf(freshOrphan)).toBe(0);

    // Nothing left to do: a second run (or a re-delivery) frees nothing.
    const again = await gc.handle({ graceSeconds: 3600 }, context);
    expect(again).toMatchObject({ result: { blobsDeleted: 0, tempFilesRemoved: 0 } });
  });

  it('stops between blobs when the job is aborted', async () => {
    await age(await unreferenced('/gc/abort.txt', 'abort'), { row: true });
    const controller = new AbortController();
    controller.abort(new Error('cancelled'));
    await expect(
      gc.handle({}, await fsJobContext(ctx.app, FS_GC_JOB.type, controller.signal)),
    ).rejects.toThrow('cancelled');
  });

  it('never leaves a version whose blob is gone when writes race two collectors', async () => {
    const shared = 'content written, dropped and written again while GC runs';
    const hash = sha256(shared);
    await writer.write(alice, '/race/seed.txt', bodyOf('seed'), { parents: true });
    const context = await fsJobContext(ctx.app, FS_GC_JOB.type);
    let racing = true;
    const collector = async () => {
      let runs = 0;
      for (; racing; runs++) await gc.handle({ graceSeconds: 0 }, context);
      return runs;
    };
    const collectors = [collector(), collector()];
    // Few writers, each writing the content and deleting it again: its reference count keeps dropping to 0.
    const outcomes: string[] = [];
    const attempt = async (write: () => Promise<unknown>) =>
      write().then(
        () => outcomes.push('ok'),
        (error: unknown) => outcomes.push(String(error)),
      );
    const writers = Array.from({ length: 4 }, async (_, i) => {
      for (let round = 0; round < 10; round++) {
        await attempt(() => writer.write(alice, `/race/w${i}.txt`, bodyOf(shared)));
        await tree.deleteFile(alice, `/race/w${i}.txt`).catch(() => undefined);
      }
      await attempt(() => writer.write(alice, `/race/kept${i}.txt`, bodyOf(shared)));
    });
    await Promise.all(writers);
    racing = false;
    expect(Math.min(...(await Promise.all(collectors)))).toBeGreaterThan(0);
    // A write that lost the race is refused (503, retry), never committed against a missing blob.
    const refused = outcomes.filter((outcome) => outcome !== 'ok');
    for (const outcome of refused) expect(outcome).toMatch(/garbage-collected|ENOENT/);

    const referenced = await db.query<Array<{ hash: string; versions: number; ref_count: number | null }>>(
      `SELECT v.content_hash AS hash, count(*)::int AS versions, max(c.ref_count) AS ref_count
       FROM file_versions v LEFT JOIN content_blobs c ON c.hash = v.content_hash GROUP BY v.content_hash`,
    );
    for (const row of referenced) {
      expect({ hash: row.hash, stored: await blobs.exists(row.hash) }).toEqual({
        hash: row.hash,
        stored: true,
      });
      expect(row.ref_count).toBe(row.versions);
    }
    const kept = await db.query<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM file_paths WHERE zone_id = $1 AND path LIKE '/race/kept%' AND deleted_at IS NULL`,
      [alice.zoneId],
    );
    expect(referenced.find((row) => row.hash === hash)?.versions ?? 0).toBe(kept[0]!.n);
  });
});
