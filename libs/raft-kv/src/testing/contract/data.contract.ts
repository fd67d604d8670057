import { bigintCodec } from '../../codecs';
import { KvErrorCode } from '../../kv.errors';
import type { KvBatchOp } from '../../kv-store';
import { KV_LIMITS } from '../../validation';
import type { ContractContext } from './context';
import { bytes, codeOf, keysOf, text } from './context';

/** get/put/delete, ranges, batches, compare-and-swap and argument checks. */
export function describeDataContract(ctx: ContractContext): void {
  describe('get, put, delete', () => {
    it('reads back what was written, overwrites, and deletes', async () => {
      const store = ctx.store();
      expect(await store.get('sm_metadata', bytes('a'))).toBeUndefined();

      await store.put('sm_metadata', bytes('a'), bytes('one'));
      expect(text(await store.get('sm_metadata', bytes('a')))).toBe('one');
      await store.put('sm_metadata', bytes('a'), bytes('two'));
      expect(text(await store.get('sm_metadata', bytes('a')))).toBe('two');

      expect(await store.delete('sm_metadata', bytes('a'))).toBe(true);
      expect(await store.get('sm_metadata', bytes('a'))).toBeUndefined();
      expect(await store.delete('sm_metadata', bytes('a'))).toBe(false);
    });

    it('keeps arbitrary bytes and empty values exactly', async () => {
      const store = ctx.store();
      const key = Buffer.from([0x00, 0xff, 0x2f, 0x00]);
      const value = Buffer.from([0xff, 0x00, 0x01, 0x80]);
      await store.put('blobs', key, value);
      await store.put('blobs', Buffer.from([0x01]), new Uint8Array(0));

      expect(Buffer.from((await store.get('blobs', key)) ?? [])).toEqual(value);
      expect(await store.get('blobs', Buffer.from([0x01]))).toEqual(new Uint8Array(0));
      expect(await store.get('blobs', Buffer.from([0x00, 0xff]))).toBeUndefined();
    });

    it('keeps tables apart', async () => {
      const store = ctx.store();
      await store.put('alpha', bytes('k'), bytes('in alpha'));
      await store.put('alpha_b', bytes('k'), bytes('in alpha_b'));

      expect(text(await store.get('alpha', bytes('k')))).toBe('in alpha');
      expect(text(await store.get('alpha_b', bytes('k')))).toBe('in alpha_b');
      expect(await store.get('beta', bytes('k'))).toBeUndefined();
      expect(keysOf(await store.range('alpha', new Uint8Array(0)))).toEqual(['k']);
      expect(await store.listTables()).toEqual(['alpha', 'alpha_b']);
    });

    it('shows a write to another handle on the same data', async () => {
      await ctx.store().put('shared', bytes('k'), bytes('v'));
      const other = await ctx.sibling();

      expect(text(await other.get('shared', bytes('k')))).toBe('v');
    });
  });

  describe('range and scanPrefix', () => {
    const keys = ['a', 'a/1', 'a/2', 'a0', 'b', 'b/1', 'c'];

    beforeEach(async () => {
      await ctx
        .store()
        .batch(
          keys.map((key): KvBatchOp => ({
            type: 'put',
            table: 'files',
            key: bytes(key),
            value: bytes(`v:${key}`),
          })),
        );
    });

    it('returns [start, end) in byte order, with limit and reverse', async () => {
      const store = ctx.store();
      expect(keysOf(await store.range('files', bytes('a/'), bytes('b')))).toEqual(['a/1', 'a/2', 'a0']);
      expect(keysOf(await store.range('files', bytes('a0')))).toEqual(['a0', 'b', 'b/1', 'c']);
      expect(keysOf(await store.range('files', new Uint8Array(0), undefined, { limit: 2 }))).toEqual([
        'a',
        'a/1',
      ]);
      expect(keysOf(await store.range('files', bytes('a/'), bytes('b'), { reverse: true }))).toEqual([
        'a0',
        'a/2',
        'a/1',
      ]);
      expect(keysOf(await store.range('files', bytes('a'), undefined, { reverse: true, limit: 3 }))).toEqual([
        'c',
        'b/1',
        'b',
      ]);
      expect(keysOf(await store.range('files', bytes('x')))).toEqual([]);
      const [first] = await store.range('files', bytes('b'), bytes('b/'));
      expect(text(first?.value)).toBe('v:b');
    });

    it('scans prefixes, including the whole table and 0xff edges', async () => {
      const store = ctx.store();
      expect(keysOf(await store.scanPrefix('files', bytes('a/')))).toEqual(['a/1', 'a/2']);
      expect(keysOf(await store.scanPrefix('files', bytes('a')))).toEqual(['a', 'a/1', 'a/2', 'a0']);
      expect(keysOf(await store.scanPrefix('files', bytes('b'), { limit: 1 }))).toEqual(['b']);
      expect(keysOf(await store.scanPrefix('files', bytes('b'), { reverse: true }))).toEqual(['b/1', 'b']);
      expect(await store.scanPrefix('files', new Uint8Array(0))).toHaveLength(keys.length);

      await store.put('edge', Buffer.from([0xff]), bytes('1'));
      await store.put('edge', Buffer.from([0xff, 0xff]), bytes('2'));
      await store.put('edge', Buffer.from([0xfe, 0xff]), bytes('3'));
      expect(await store.scanPrefix('edge', Buffer.from([0xff]))).toHaveLength(2);
      expect(await store.scanPrefix('edge', Buffer.from([0xfe]))).toHaveLength(1);
    });

    it('pages through more entries than one engine request returns', async () => {
      const store = ctx.store();
      for (let chunk = 0; chunk < 11; chunk++) {
        await store.batch(
          Array.from({ length: 100 }, (_, i): KvBatchOp => {
            const n = String(chunk * 100 + i).padStart(5, '0');
            return { type: 'put', table: 'many', key: bytes(n), value: bytes(n) };
          }),
        );
      }
      const all = await store.range('many', new Uint8Array(0));
      expect(all).toHaveLength(1_100);
      expect(text(all[1_099]?.key)).toBe('01099');
      expect(keysOf(await store.range('many', bytes('00500'), undefined, { limit: 1_050 }))).toHaveLength(
        600,
      );
      const reversed = await store.range('many', new Uint8Array(0), undefined, {
        reverse: true,
        limit: 1_001,
      });
      expect(text(reversed[0]?.key)).toBe('01099');
      expect(text(reversed[1_000]?.key)).toBe('00099');
    });
  });

  describe('batch', () => {
    it('applies puts and deletes together', async () => {
      const store = ctx.store();
      await store.put('t', bytes('gone'), bytes('x'));
      await store.batch([
        { type: 'put', table: 't', key: bytes('a'), value: bytes('1') },
        { type: 'put', table: 'u', key: bytes('b'), value: bytes('2') },
        { type: 'delete', table: 't', key: bytes('gone') },
        { type: 'delete', table: 't', key: bytes('never-existed') },
      ]);

      expect(text(await store.get('t', bytes('a')))).toBe('1');
      expect(text(await store.get('u', bytes('b')))).toBe('2');
      expect(await store.get('t', bytes('gone'))).toBeUndefined();
    });

    it('applies nothing when any operation is invalid', async () => {
      const store = ctx.store();
      const good: KvBatchOp = { type: 'put', table: 't', key: bytes('a'), value: bytes('1') };

      expect(
        await codeOf(
          store.batch([good, { type: 'put', table: 'revisions', key: bytes('z'), value: bytes('1') }]),
        ),
      ).toBe(KvErrorCode.ReservedTable);
      expect(await codeOf(store.batch([good, { type: 'delete', table: 't', key: bytes('a') }]))).toBe(
        KvErrorCode.InvalidArgument,
      );
      const tooMany = Array.from({ length: KV_LIMITS.maxBatchOps + 1 }, (_, i): KvBatchOp => ({
        type: 'delete',
        table: 't',
        key: bytes(`k${i}`),
      }));
      expect(await codeOf(store.batch(tooMany))).toBe(KvErrorCode.InvalidArgument);
      expect(await store.get('t', bytes('a'))).toBeUndefined();
      await expect(store.batch([])).resolves.toBeUndefined();
    });
  });

  describe('compareAndSwap', () => {
    it('creates only when absent, swaps only on the expected value, deletes with null', async () => {
      const store = ctx.store();
      expect(await store.compareAndSwap('t', bytes('k'), null, bytes('v1'))).toBe(true);
      expect(await store.compareAndSwap('t', bytes('k'), null, bytes('other'))).toBe(false);
      expect(await store.compareAndSwap('t', bytes('k'), bytes('wrong'), bytes('v2'))).toBe(false);
      expect(text(await store.get('t', bytes('k')))).toBe('v1');
      expect(await store.compareAndSwap('t', bytes('k'), bytes('v1'), bytes('v2'))).toBe(true);
      expect(text(await store.get('t', bytes('k')))).toBe('v2');
      expect(await store.compareAndSwap('t', bytes('k'), bytes('v2'), null)).toBe(true);
      expect(await store.get('t', bytes('k'))).toBeUndefined();
      expect(await store.compareAndSwap('t', bytes('k'), bytes('v2'), bytes('v3'))).toBe(false);
    });

    it('tells an empty value from an absent key', async () => {
      const store = ctx.store();
      expect(await store.compareAndSwap('t', bytes('k'), new Uint8Array(0), bytes('x'))).toBe(false);
      await store.put('t', bytes('k'), new Uint8Array(0));
      expect(await store.compareAndSwap('t', bytes('k'), null, bytes('x'))).toBe(false);
      expect(await store.compareAndSwap('t', bytes('k'), new Uint8Array(0), bytes('x'))).toBe(true);
    });

    it('loses no update when two handles race read-modify-write loops', async () => {
      const handles = [ctx.store(), await ctx.sibling()];
      const increment = async (index: number) => {
        const store = handles[index % 2];
        if (!store) throw new Error('no handle');
        for (;;) {
          const current = await store.get('t', bytes('counter'));
          const next = bigintCodec.encode((current ? bigintCodec.decode(current) : 0n) + 1n);
          if (await store.compareAndSwap('t', bytes('counter'), current ?? null, next)) return;
        }
      };
      await Promise.all(Array.from({ length: 40 }, (_, i) => increment(i)));

      expect(bigintCodec.decode((await ctx.store().get('t', bytes('counter'))) ?? new Uint8Array(8))).toBe(
        40n,
      );
    });
  });

  describe('argument checks', () => {
    it.each(['', 'Upper', '1abc', 'has space', 'has/slash', 'a'.repeat(64), '__meta'])(
      'rejects table name %p',
      async (table) => {
        expect(await codeOf(ctx.store().get(table, bytes('k')))).toBe(KvErrorCode.InvalidArgument);
        expect(await codeOf(ctx.store().put(table, bytes('k'), bytes('v')))).toBe(
          KvErrorCode.InvalidArgument,
        );
      },
    );

    it('rejects empty and oversized keys, oversized values and bad limits', async () => {
      const store = ctx.store();
      expect(await codeOf(store.put('t', new Uint8Array(0), bytes('v')))).toBe(KvErrorCode.InvalidArgument);
      expect(await codeOf(store.get('t', new Uint8Array(KV_LIMITS.maxKeyBytes + 1)))).toBe(
        KvErrorCode.InvalidArgument,
      );
      expect(await codeOf(store.put('t', bytes('k'), new Uint8Array(KV_LIMITS.maxValueBytes + 1)))).toBe(
        KvErrorCode.InvalidArgument,
      );
      expect(await codeOf(store.range('t', bytes('a'), undefined, { limit: 0 }))).toBe(
        KvErrorCode.InvalidArgument,
      );
      await store.put(
        't',
        new Uint8Array(KV_LIMITS.maxKeyBytes).fill(7),
        new Uint8Array(KV_LIMITS.maxValueBytes),
      );
      expect(await store.get('t', new Uint8Array(KV_LIMITS.maxKeyBytes).fill(7))).toHaveLength(
        KV_LIMITS.maxValueBytes,
      );
    });

    it('keeps the managed tables read-only for the generic API', async () => {
      const store = ctx.store();
      await store.incrementRevision('zone-1');
      for (const table of ['revisions', 'sm_locks']) {
        expect(await codeOf(store.put(table, bytes('zone-1'), bytes('x')))).toBe(KvErrorCode.ReservedTable);
        expect(await codeOf(store.delete(table, bytes('zone-1')))).toBe(KvErrorCode.ReservedTable);
        expect(await codeOf(store.compareAndSwap(table, bytes('zone-1'), null, bytes('x')))).toBe(
          KvErrorCode.ReservedTable,
        );
      }
      expect(bigintCodec.decode((await store.get('revisions', bytes('zone-1'))) ?? new Uint8Array(8))).toBe(
        1n,
      );
    });
  });
}
