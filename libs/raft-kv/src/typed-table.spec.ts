import { bigintCodec, jsonCodec, stringCodec } from './codecs';
import type { KvStore } from './kv-store';
import { InMemoryKvModel } from './testing/in-memory-kv-model';
import { typedTable } from './typed-table';

/** A KvStore fake over the in-memory model: only the calls TypedTable makes. */
function fakeStore(model = new InMemoryKvModel()): KvStore {
  return {
    get: async (table: string, key: Uint8Array) => model.get(table, key),
    put: async (table: string, key: Uint8Array, value: Uint8Array) => model.put(table, key, value),
    delete: async (table: string, key: Uint8Array) => model.delete(table, key),
    compareAndSwap: async (
      table: string,
      key: Uint8Array,
      expected: Uint8Array | null,
      next: Uint8Array | null,
    ) => model.compareAndSwap(table, key, expected, next),
    range: async (
      table: string,
      start: Uint8Array,
      end?: Uint8Array,
      options?: { limit?: number; reverse?: boolean },
    ) => model.range(table, start, end, options),
    scanPrefix: async (table: string, prefix: Uint8Array, options?: { limit?: number; reverse?: boolean }) =>
      model.scanPrefix(table, prefix, options),
  } as unknown as KvStore;
}

interface FileMeta {
  size: number;
  etag: string;
}

describe('TypedTable', () => {
  it('stores JSON values under string keys', async () => {
    const files = typedTable(fakeStore(), 'sm_metadata', stringCodec, jsonCodec<FileMeta>());
    await files.put('zone-1/a.txt', { size: 1, etag: 'e1' });
    await files.put('zone-1/b.txt', { size: 2, etag: 'e2' });
    await files.put('zone-2/a.txt', { size: 3, etag: 'e3' });

    expect(await files.get('zone-1/a.txt')).toEqual({ size: 1, etag: 'e1' });
    expect(await files.get('missing')).toBeUndefined();
    expect((await files.scanPrefix('zone-1/')).map((entry) => entry.key)).toEqual([
      'zone-1/a.txt',
      'zone-1/b.txt',
    ]);
    expect(await files.range('zone-1/b', 'zone-2', { limit: 5 })).toEqual([
      { key: 'zone-1/b.txt', value: { size: 2, etag: 'e2' } },
    ]);
    expect(await files.delete('zone-1/a.txt')).toBe(true);
    expect(await files.get('zone-1/a.txt')).toBeUndefined();
  });

  it('compare-and-swaps typed values', async () => {
    const files = typedTable(fakeStore(), 'sm_metadata', stringCodec, jsonCodec<FileMeta>());
    expect(await files.compareAndSwap('f', null, { size: 1, etag: 'a' })).toBe(true);
    expect(await files.compareAndSwap('f', { size: 9, etag: 'x' }, { size: 2, etag: 'b' })).toBe(false);
    expect(await files.compareAndSwap('f', { size: 1, etag: 'a' }, null)).toBe(true);
    expect(await files.get('f')).toBeUndefined();
  });

  it('orders bigint keys numerically', async () => {
    const versions = typedTable(fakeStore(), 'versions', bigintCodec, stringCodec);
    for (const version of [10n, 2n, 300n, 1n]) await versions.put(version, `v${version}`);

    expect((await versions.range(0n)).map((entry) => entry.key)).toEqual([1n, 2n, 10n, 300n]);
    expect((await versions.range(2n, 300n, { reverse: true })).map((entry) => entry.value)).toEqual([
      'v10',
      'v2',
    ]);
  });
});
