import { KvErrorCode } from '../../kv.errors';
import type { ContractContext } from './context';
import { bytes, codeOf, eventually, sleep } from './context';

/** Engines may round lock TTLs up (etcd: whole seconds, at least ~2 s), never down. */
const TTL_MS = 1_000;
const EXPIRY_WAIT_MS = 10_000;

/** Zone revisions, the store revision, and TTL locks. */
export function describeCoordinationContract(ctx: ContractContext): void {
  describe('revisions', () => {
    it('counts each zone from 1 and reads without changing', async () => {
      const store = ctx.store();
      expect(await store.getRevision('zone-a')).toBe(0n);
      expect(await store.incrementRevision('zone-a')).toBe(1n);
      expect(await store.incrementRevision('zone-a')).toBe(2n);
      expect(await store.incrementRevision('zone-b')).toBe(1n);
      expect(await store.getRevision('zone-a')).toBe(2n);
      expect(await store.getRevision('zone-a')).toBe(2n);
    });

    it('hands out each value exactly once under concurrent increments from two handles', async () => {
      const handles = [ctx.store(), await ctx.sibling()];
      const values = await Promise.all(
        Array.from({ length: 60 }, (_, i) => (handles[i % 2] ?? ctx.store()).incrementRevision('busy-zone')),
      );

      expect([...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(
        Array.from({ length: 60 }, (_, i) => BigInt(i + 1)),
      );
      expect(await handles[1]?.getRevision('busy-zone')).toBe(60n);
    });

    it('moves the store revision on writes only', async () => {
      const store = ctx.store();
      const start = await store.currentRevision();
      await store.put('t', bytes('k'), bytes('v'));
      const afterPut = await store.currentRevision();
      expect(afterPut).toBeGreaterThan(start);

      await store.get('t', bytes('k'));
      await store.compareAndSwap('t', bytes('k'), bytes('not-v'), bytes('x'));
      await store.delete('t', bytes('absent'));
      expect(await store.currentRevision()).toBe(afterPut);

      await store.batch([
        { type: 'put', table: 't', key: bytes('a'), value: bytes('1') },
        { type: 'put', table: 't', key: bytes('b'), value: bytes('2') },
      ]);
      expect(await store.currentRevision()).toBe(afterPut + 1n);
    });

    it('rejects an empty zone name', async () => {
      expect(await codeOf(ctx.store().incrementRevision(''))).toBe(KvErrorCode.InvalidArgument);
    });
  });

  describe('locks', () => {
    it('lets one owner hold a lock; only that owner renews or releases it', async () => {
      const store = ctx.store();
      expect(await store.lockOwner('job-1')).toBeNull();
      const first = await store.acquireLock('job-1', 'alice', 30_000);
      expect(first?.fencingToken).toEqual(expect.any(BigInt));
      expect(await store.lockOwner('job-1')).toBe('alice');

      expect(await store.acquireLock('job-1', 'bob', 30_000)).toBeNull();
      expect(await store.renewLock('job-1', 'bob', 30_000)).toBe(false);
      expect(await store.releaseLock('job-1', 'bob')).toBe(false);
      expect(await store.acquireLock('job-1', 'bob', 30_000)).toBeNull();

      expect(await store.acquireLock('job-1', 'alice', 30_000)).toEqual(first);
      expect(await store.renewLock('job-1', 'alice', 30_000)).toBe(true);
      expect(await store.releaseLock('job-1', 'alice')).toBe(true);
      expect(await store.lockOwner('job-1')).toBeNull();
      expect(await store.releaseLock('job-1', 'alice')).toBe(false);
      expect(await store.renewLock('job-1', 'alice', 30_000)).toBe(false);

      const second = await store.acquireLock('job-1', 'bob', 30_000);
      expect(second?.fencingToken).toBeGreaterThan(first?.fencingToken ?? 0n);
      expect(await store.acquireLock('job-2', 'alice', 30_000)).not.toBeNull();
    });

    it('gives the lock to exactly one of many simultaneous contenders', async () => {
      const handles = [ctx.store(), await ctx.sibling()];
      const grants = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          (handles[i % 2] ?? ctx.store()).acquireLock('contended', `owner-${i}`, 30_000),
        ),
      );

      expect(grants.filter((grant) => grant !== null)).toHaveLength(1);
    });

    it('expires after its TTL, then goes to the next owner with a larger fencing token', async () => {
      const store = ctx.store();
      const first = await store.acquireLock('ttl-lock', 'alice', TTL_MS);
      expect(first).not.toBeNull();
      expect(await store.acquireLock('ttl-lock', 'bob', TTL_MS)).toBeNull();

      const started = Date.now();
      const second = await eventually(() => store.acquireLock('ttl-lock', 'bob', 30_000), EXPIRY_WAIT_MS);

      expect(Date.now() - started).toBeGreaterThanOrEqual(TTL_MS - 200);
      expect(second.fencingToken).toBeGreaterThan(first?.fencingToken ?? 0n);
      expect(await store.lockOwner('ttl-lock')).toBe('bob');
      expect(await store.renewLock('ttl-lock', 'alice', TTL_MS)).toBe(false);
      expect(await store.releaseLock('ttl-lock', 'alice')).toBe(false);
      expect(await store.acquireLock('ttl-lock', 'alice', TTL_MS)).toBeNull();
    });

    it('stays held while its owner renews it, and expires once renewals stop', async () => {
      const store = ctx.store();
      const other = await ctx.sibling();
      expect(await store.acquireLock('renewed', 'alice', TTL_MS)).not.toBeNull();

      const until = Date.now() + 2_500;
      while (Date.now() < until) {
        await sleep(300);
        expect(await store.renewLock('renewed', 'alice', TTL_MS)).toBe(true);
        expect(await other.acquireLock('renewed', 'bob', TTL_MS)).toBeNull();
      }

      await expect(
        eventually(() => other.acquireLock('renewed', 'bob', 30_000), EXPIRY_WAIT_MS),
      ).resolves.toBeTruthy();
    });

    it('rejects bad lock arguments', async () => {
      const store = ctx.store();
      expect(await codeOf(store.acquireLock('', 'alice', 1_000))).toBe(KvErrorCode.InvalidArgument);
      expect(await codeOf(store.acquireLock('l', '', 1_000))).toBe(KvErrorCode.InvalidArgument);
      expect(await codeOf(store.acquireLock('l', 'alice', 0))).toBe(KvErrorCode.InvalidArgument);
      expect(await codeOf(store.renewLock('l', 'alice', 1.5))).toBe(KvErrorCode.InvalidArgument);
    });
  });
}
