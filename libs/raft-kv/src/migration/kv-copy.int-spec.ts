import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LmdbKvStore } from '../embedded/lmdb-kv-store';
import { EtcdKvStore } from '../etcd/etcd-kv-store';
import { KvErrorCode } from '../kv.errors';
import type { KvBatchOp, KvStore } from '../kv-store';
import { codeOf } from '../testing/contract/context';
import type { EtcdCluster } from '../testing/etcd-cluster';
import { startEtcdCluster } from '../testing/etcd-cluster';
import type { CopyProgress } from './kv-copy';
import { copyStore, digestStore } from './kv-copy';

const ENTRIES = 2_500;

async function fill(store: KvStore): Promise<void> {
  for (let start = 0; start < ENTRIES; start += 100) {
    await store.batch(
      Array.from({ length: 100 }, (_, i): KvBatchOp => {
        const n = start + i;
        return {
          type: 'put',
          table: n % 5 === 0 ? 'blobs' : 'sm_metadata',
          key: Buffer.from(`zone-${n % 7}/file-${n}`),
          value: Buffer.from(`{"n":${n}}`),
        };
      }),
    );
  }
  for (let i = 0; i < 5; i++) await store.incrementRevision('zone-1');
  await store.incrementRevision('zone-2');
  await store.acquireLock('migration-lock', 'someone', 60_000);
}

describe('copyStore: embedded → etcd → embedded', () => {
  let cluster: EtcdCluster;
  let root = '';
  const opened: KvStore[] = [];
  const embedded = (name: string) => {
    const store = LmdbKvStore.open({ path: join(root, name) });
    opened.push(store);
    return store;
  };
  const etcd = () => {
    const store = new EtcdKvStore({
      endpoints: cluster.endpoints,
      namespace: `copy-${randomBytes(4).toString('hex')}/`,
    });
    opened.push(store);
    return store;
  };

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'nexus-kv-copy-'));
    cluster = await startEtcdCluster({ size: 1 });
  });

  afterAll(async () => {
    await Promise.all(opened.map((store) => store.close()));
    await cluster?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('copies every table and zone revision both ways with equal counts and checksums, reporting progress', async () => {
    const source = embedded('source');
    await fill(source);
    const cloud = etcd();
    const progress: CopyProgress[] = [];

    const there = await copyStore(source, cloud, {
      onProgress: (p) => progress.push(p),
      progressEvery: 1_000,
    });

    expect(there.source.entries).toBe(ENTRIES + 2);
    expect(there.source.tables).toEqual({ blobs: 500, revisions: 2, sm_metadata: 2_000 });
    expect(there.target?.checksum).toBe(there.source.checksum);
    expect(progress).toEqual([
      { entries: 1_000, total: ENTRIES + 2 },
      { entries: 2_000, total: ENTRIES + 2 },
      { entries: ENTRIES + 2, total: ENTRIES + 2 },
    ]);
    expect(await cloud.getRevision('zone-1')).toBe(5n);
    expect(await cloud.incrementRevision('zone-1')).toBe(6n);
    expect(await cloud.acquireLock('migration-lock', 'someone-else', 1_000)).not.toBeNull();

    const back = embedded('back');
    const returned = await copyStore(cloud, back);
    expect(returned.target?.checksum).toBe((await digestStore(cloud)).checksum);
    expect(await back.getRevision('zone-1')).toBe(6n);
    expect(Buffer.from((await back.get('sm_metadata', Buffer.from('zone-1/file-1'))) ?? []).toString()).toBe(
      '{"n":1}',
    );
  }, 60_000);

  it('writes nothing on a dry run, and refuses a target that holds data unless told to replace it', async () => {
    const source = embedded('dry-source');
    await source.put('sm_metadata', Buffer.from('k'), Buffer.from('v'));
    const target = etcd();

    const dry = await copyStore(source, target, { dryRun: true });
    expect(dry).toMatchObject({ dryRun: true, source: { entries: 1 } });
    expect(dry.target).toBeUndefined();
    expect(await target.listTables()).toEqual([]);

    await target.put('blobs', Buffer.from('old'), Buffer.from('x'));
    expect(await codeOf(copyStore(source, target))).toBe(KvErrorCode.NotEmpty);
    const replaced = await copyStore(source, target, { replace: true });
    expect(replaced.target?.entries).toBe(1);
    expect(await target.get('blobs', Buffer.from('old'))).toBeUndefined();
  });
});
