import type { KvChange } from '../../kv-store';
import type { ContractContext } from './context';
import { bytes, plain, sleep, take } from './context';

/** Watches: live changes, replay from a revision, filtering, and ending. */
export function describeWatchContract(ctx: ContractContext): void {
  describe('watch', () => {
    it('delivers puts and deletes under the prefix, in order, with their revisions', async () => {
      const store = ctx.store();
      const watch = await store.watch('files', bytes('zone-1/'));
      await store.put('files', bytes('zone-1/a'), bytes('A'));
      await store.put('files', bytes('zone-2/a'), bytes('other zone'));
      await store.put('other', bytes('zone-1/a'), bytes('other table'));
      await store.batch([
        { type: 'put', table: 'files', key: bytes('zone-1/b'), value: bytes('B') },
        { type: 'delete', table: 'files', key: bytes('zone-1/a') },
      ]);
      await store.delete('files', bytes('zone-1/b'));

      const changes = await take(watch, 4);
      await watch.close();

      expect(plain(changes)).toEqual([
        { type: 'put', table: 'files', key: 'zone-1/a', value: 'A' },
        { type: 'put', table: 'files', key: 'zone-1/b', value: 'B' },
        { type: 'delete', table: 'files', key: 'zone-1/a' },
        { type: 'delete', table: 'files', key: 'zone-1/b' },
      ]);
      const [put, batchPut, batchDelete, lastDelete] = changes.map((change) => change.revision);
      expect(batchPut).toBeGreaterThan(put ?? 0n);
      expect(batchDelete).toBe(batchPut);
      expect(lastDelete).toBeGreaterThan(batchDelete ?? 0n);
      expect(lastDelete).toBe(await store.currentRevision());
    });

    it('replays changes since a revision, then continues live', async () => {
      const store = ctx.store();
      await store.put('t', bytes('k1'), bytes('before'));
      const from = (await store.currentRevision()) + 1n;
      await store.put('t', bytes('k2'), bytes('first'));
      await store.delete('t', bytes('k1'));

      const watch = await store.watch('t', new Uint8Array(0), from);
      await store.put('t', bytes('k3'), bytes('live'));
      const changes = await take(watch, 3);
      await watch.close();

      expect(plain(changes)).toEqual([
        { type: 'put', table: 't', key: 'k2', value: 'first' },
        { type: 'delete', table: 't', key: 'k1' },
        { type: 'put', table: 't', key: 'k3', value: 'live' },
      ]);
      expect(changes[0]?.revision).toBe(from);
    });

    it('sees writes made through another handle', async () => {
      const watch = await ctx.store().watch('t', bytes('x'));
      const other = await ctx.sibling();
      await other.put('t', bytes('x1'), bytes('from the other handle'));

      expect(plain(await take(watch, 1))).toEqual([
        { type: 'put', table: 't', key: 'x1', value: 'from the other handle' },
      ]);
      await watch.close();
    });

    it('stops when the consumer leaves the loop, and ends open watches on close()', async () => {
      const store = ctx.store();
      const first = await store.watch('t', new Uint8Array(0));
      await store.put('t', bytes('a'), bytes('1'));
      const seen: KvChange[] = [];
      for await (const change of first) {
        seen.push(change);
        break;
      }
      expect(seen).toHaveLength(1);

      const second = await store.watch('t', new Uint8Array(0));
      const drained = (async () => {
        const rest: KvChange[] = [];
        for await (const change of second) rest.push(change);
        return rest;
      })();
      await sleep(50);
      await second.close();
      await expect(drained).resolves.toEqual([]);
    });

    it('does not deliver changes committed before the watch without a fromRevision', async () => {
      const store = ctx.store();
      await store.put('t', bytes('old'), bytes('old'));
      const watch = await store.watch('t', new Uint8Array(0));
      await store.put('t', bytes('new'), bytes('new'));

      expect(plain(await take(watch, 1))).toEqual([{ type: 'put', table: 't', key: 'new', value: 'new' }]);
      await watch.close();
    });
  });
}
