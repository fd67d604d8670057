import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KvErrorCode } from '../kv.errors';
import type { KvStore } from '../kv-store';
import { codeOf, plain, take } from '../testing/contract/context';
import { describeKvStoreContract } from '../testing/kv-store.contract';
import { LmdbKvStore } from './lmdb-kv-store';

const root = mkdtempSync(join(tmpdir(), 'nexus-lmdb-'));
const paths = new WeakMap<KvStore, string>();
let counter = 0;

function openAt(
  path: string,
  options: { changeLogRetention?: number; now?: () => number } = {},
): LmdbKvStore {
  const store = LmdbKvStore.open({ path, ...options });
  paths.set(store, path);
  return store;
}

const freshPath = () => join(root, `store-${++counter}`);

afterAll(() => rmSync(root, { recursive: true, force: true }));

describeKvStoreContract('embedded (LMDB)', {
  create: async () => openAt(freshPath()),
  sibling: async (store) => openAt(paths.get(store) ?? ''),
});

describe('LmdbKvStore (embedded specifics)', () => {
  const bytes = (text: string) => Buffer.from(text);

  it('keeps data, zone revisions and the store revision across close and reopen', async () => {
    const path = freshPath();
    const first = openAt(path);
    await first.put('sm_metadata', bytes('k'), bytes('v'));
    expect(await first.incrementRevision('zone-1')).toBe(1n);
    expect(await first.incrementRevision('zone-1')).toBe(2n);
    const revision = await first.currentRevision();
    await first.close();

    const second = openAt(path);
    try {
      expect(Buffer.from((await second.get('sm_metadata', bytes('k'))) ?? []).toString()).toBe('v');
      expect(await second.getRevision('zone-1')).toBe(2n);
      expect(await second.incrementRevision('zone-1')).toBe(3n);
      expect(await second.currentRevision()).toBe(revision + 1n);

      const replay = await second.watch('sm_metadata', new Uint8Array(0), 1n);
      expect(plain(await take(replay, 1))).toEqual([
        { type: 'put', table: 'sm_metadata', key: 'k', value: 'v' },
      ]);
      await replay.close();
    } finally {
      await second.close();
    }
  });

  it('bounds its change log: history older than the retention is trimmed and cannot be watched', async () => {
    const store = openAt(freshPath(), { changeLogRetention: 100 });
    try {
      await Promise.all(
        Array.from({ length: 1_100 }, (_, i) => store.put('t', bytes(`k${i % 10}`), bytes(String(i)))),
      );
      const current = await store.currentRevision();
      expect(current).toBe(1_100n);

      expect(await codeOf(store.watch('t', new Uint8Array(0), 1n))).toBe(KvErrorCode.Compacted);
      const recent = await store.watch('t', new Uint8Array(0), current - 50n);
      const changes = await take(recent, 51);
      expect(changes[0]?.revision).toBe(current - 50n);
      expect(changes[50]?.revision).toBe(current);
      await recent.close();
    } finally {
      await store.close();
    }
  });

  it('expires locks by its clock, exactly at the TTL', async () => {
    let now = 1_000_000;
    const store = openAt(freshPath(), { now: () => now });
    try {
      const grant = await store.acquireLock('l', 'alice', 5_000);
      now += 4_999;
      expect(await store.acquireLock('l', 'bob', 5_000)).toBeNull();
      expect(await store.renewLock('l', 'alice', 5_000)).toBe(true);
      now += 4_999;
      expect(await store.acquireLock('l', 'bob', 5_000)).toBeNull();
      now += 1;
      expect(await store.renewLock('l', 'alice', 5_000)).toBe(false);
      const taken = await store.acquireLock('l', 'bob', 5_000);
      expect(taken?.fencingToken).toBeGreaterThan(grant?.fencingToken ?? 0n);
    } finally {
      await store.close();
    }
  });

  it('rejects a non-positive change-log retention', () => {
    expect(() => openAt(freshPath(), { changeLogRetention: 0 })).toThrow(/changeLogRetention/);
  });
});
