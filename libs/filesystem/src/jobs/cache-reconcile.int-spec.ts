import { KvStore } from '@nexus/raft-kv';
import { METADATA_TABLE } from '../cache/metadata-table';
import { DataSource } from 'typeorm';
import { MetadataCache } from '../cache/metadata-cache';
import { FilesystemModule } from '../filesystem.module';
import type { FileStat } from '../fs.types';
import { FileWriter } from '../service/file-writer.service';
import { FsReader } from '../service/fs-reader.service';
import { bodyOf, fsJobContext, fsPrincipal, jobArtifacts, startFilesystemContext } from '../testing';
import type { FsTestContext } from '../testing';
import { CacheReconcileJobHandler } from './cache-reconcile.handler';
import { FS_RECONCILE_JOB } from './fs-job-types';

describe('filesystem.reconcile (PostgreSQL, LMDB raft-kv)', () => {
  let ctx: FsTestContext;
  let kv: KvStore;
  let cache: MetadataCache;
  let reader: FsReader;
  let writer: FileWriter;
  let reconcile: CacheReconcileJobHandler;
  const alice = fsPrincipal();
  const bob = fsPrincipal();

  beforeAll(async () => {
    ctx = await startFilesystemContext({}, [FilesystemModule.forWorker({ schedule: false })]);
    kv = ctx.app.get(KvStore);
    cache = ctx.app.get(MetadataCache);
    reader = ctx.app.get(FsReader);
    writer = ctx.app.get(FileWriter);
    reconcile = ctx.app.get(CacheReconcileJobHandler);
  });

  afterAll(async () => ctx?.close());

  const put = (zoneId: string, path: string, value: Uint8Array) =>
    kv.put(METADATA_TABLE, MetadataCache.key(zoneId, path), value);
  const raw = (zoneId: string, path: string) => kv.get(METADATA_TABLE, MetadataCache.key(zoneId, path));
  const run = async (payload: { zoneId?: string; limit?: number }) => {
    const context = await fsJobContext(ctx.app, FS_RECONCILE_JOB.type);
    return { outcome: await reconcile.handle(payload, context), context };
  };

  it('repairs a wrong entry, removes entries PostgreSQL contradicts or cannot explain, and leaves correct ones alone', async () => {
    for (const name of ['a', 'b', 'c']) await writer.write(alice, `/${name}.txt`, bodyOf(name));
    const revision = (await cache.revision(alice.zoneId)).toString();
    const truthOfA = (await reader.lookup(alice.zoneId, '/a.txt'))!;
    const correctC = await raw(alice.zoneId, '/c.txt');
    // Drift: a wrong stat, a path deleted behind the cache's back, an old pathless tombstone, bytes that are no entry.
    const wrong: FileStat = { ...truthOfA, size: 999, etag: 'bogus' };
    await put(alice.zoneId, '/a.txt', MetadataCache.encode({ revision, path: '/a.txt', stat: wrong }));
    await ctx.app
      .get(DataSource)
      .query(`UPDATE file_paths SET deleted_at = now() WHERE zone_id = $1 AND path = '/b.txt'`, [
        alice.zoneId,
      ]);
    await put(alice.zoneId, '/long-gone.txt', MetadataCache.encode({ revision: '0', stat: null }));
    await put(alice.zoneId, '/garbage.txt', Buffer.from('not json'));

    const { outcome, context } = await run({ zoneId: alice.zoneId });

    const expected = {
      zones: 1,
      checked: 5,
      repaired: 1,
      removed: 3,
      repairedPaths: [{ zoneId: alice.zoneId, path: '/a.txt' }],
    };
    expect(outcome).toEqual({ status: 'succeeded', result: expected });
    expect(await jobArtifacts(ctx.app, context.jobId)).toEqual([
      { kind: 'metadata_cache_reconcile_report', name: alice.zoneId, data: expected },
    ]);
    expect(await cache.lookup(alice.zoneId, '/a.txt')).toEqual({ revision, path: '/a.txt', stat: truthOfA });
    for (const path of ['/b.txt', '/long-gone.txt', '/garbage.txt'])
      expect(await raw(alice.zoneId, path)).toBeUndefined();
    expect(await raw(alice.zoneId, '/c.txt')).toEqual(correctC);
    expect(await reader.lookup(alice.zoneId, '/b.txt')).toBeNull();
  });

  it('without a zone checks every zone, and a second pass finds nothing to fix', async () => {
    await writer.write(bob, '/notes.md', bodyOf('# notes'));
    const truth = (await reader.lookup(bob.zoneId, '/notes.md'))!;
    await put(
      bob.zoneId,
      '/notes.md',
      MetadataCache.encode({ revision: '1', path: '/notes.md', stat: null }),
    );

    const first = await run({});
    // alice: /a.txt, /c.txt and the tombstone the read of /b.txt filled; bob: /notes.md.
    expect(first.outcome).toEqual({
      status: 'succeeded',
      result: {
        zones: 2,
        checked: 4,
        repaired: 1,
        removed: 0,
        repairedPaths: [{ zoneId: bob.zoneId, path: '/notes.md' }],
      },
    });
    expect((await cache.lookup(bob.zoneId, '/notes.md'))?.stat).toEqual(truth);

    const second = await run({});
    expect(second.outcome).toMatchObject({ result: { zones: 2, checked: 4, repaired: 0, removed: 0 } });
  });

  it('checks at most `limit` entries', async () => {
    expect((await run({ limit: 3 })).outcome).toMatchObject({ result: { checked: 3 } });
  });
});
