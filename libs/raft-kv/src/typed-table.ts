import type { Codec } from './codecs';
import type { KvStore, RangeOptions } from './kv-store';

export interface TypedEntry<K, V> {
  key: K;
  value: V;
}

/**
 * One table of a KvStore seen through codecs: string or bigint keys, JSON
 * values… Keys sort by their encoded bytes (stringCodec: by code point;
 * bigintCodec: numerically).
 */
export class TypedTable<K, V> {
  constructor(
    readonly store: KvStore,
    readonly table: string,
    private readonly keys: Codec<K>,
    private readonly values: Codec<V>,
  ) {}

  async get(key: K): Promise<V | undefined> {
    const bytes = await this.store.get(this.table, this.keys.encode(key));
    return bytes === undefined ? undefined : this.values.decode(bytes);
  }

  put(key: K, value: V): Promise<void> {
    return this.store.put(this.table, this.keys.encode(key), this.values.encode(value));
  }

  delete(key: K): Promise<boolean> {
    return this.store.delete(this.table, this.keys.encode(key));
  }

  /** Compares encoded bytes: for JSON, the same value must encode the same way (key order matters). */
  compareAndSwap(key: K, expected: V | null, next: V | null): Promise<boolean> {
    return this.store.compareAndSwap(
      this.table,
      this.keys.encode(key),
      expected === null ? null : this.values.encode(expected),
      next === null ? null : this.values.encode(next),
    );
  }

  async range(start: K, end?: K, options?: RangeOptions): Promise<TypedEntry<K, V>[]> {
    const entries = await this.store.range(
      this.table,
      this.keys.encode(start),
      end === undefined ? undefined : this.keys.encode(end),
      options,
    );
    return entries.map((entry) => this.decode(entry));
  }

  /** Keys whose encoding starts with the encoding of `prefix` (meaningful for string keys). */
  async scanPrefix(prefix: K, options?: RangeOptions): Promise<TypedEntry<K, V>[]> {
    const entries = await this.store.scanPrefix(this.table, this.keys.encode(prefix), options);
    return entries.map((entry) => this.decode(entry));
  }

  private decode(entry: { key: Uint8Array; value: Uint8Array }): TypedEntry<K, V> {
    return { key: this.keys.decode(entry.key), value: this.values.decode(entry.value) };
  }
}

export function typedTable<K, V>(
  store: KvStore,
  table: string,
  keys: Codec<K>,
  values: Codec<V>,
): TypedTable<K, V> {
  return new TypedTable(store, table, keys, values);
}
