import { bytesEqual, prefixEnd } from '../codecs';
import type { KvBatchOp, KvEntry, RangeOptions } from '../kv-store';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

/**
 * The reference the property tests compare both engines with: the data part of
 * KvStore (tables, ranges, batches, CAS, zone counters) in plain maps, plus how
 * many times the store revision must have moved (writes that change something).
 */
export class InMemoryKvModel {
  private readonly tables = new Map<string, Map<string, KvEntry>>();
  private readonly counters = new Map<string, bigint>();
  /** Store revisions the real engine must have used so far. */
  revisionsUsed = 0n;

  private table(name: string): Map<string, KvEntry> {
    let table = this.tables.get(name);
    if (!table) {
      table = new Map();
      this.tables.set(name, table);
    }
    return table;
  }

  get(table: string, key: Uint8Array): Uint8Array | undefined {
    return this.table(table).get(hex(key))?.value;
  }

  put(table: string, key: Uint8Array, value: Uint8Array): void {
    this.table(table).set(hex(key), { key: Uint8Array.from(key), value: Uint8Array.from(value) });
    this.revisionsUsed++;
  }

  delete(table: string, key: Uint8Array): boolean {
    const existed = this.table(table).delete(hex(key));
    if (existed) this.revisionsUsed++;
    return existed;
  }

  range(
    table: string,
    start: Uint8Array,
    end: Uint8Array | undefined,
    options: RangeOptions = {},
  ): KvEntry[] {
    const inRange = [...this.table(table).values()]
      .filter(
        (entry) =>
          Buffer.compare(entry.key, start) >= 0 && (end === undefined || Buffer.compare(entry.key, end) < 0),
      )
      .sort((a, b) => Buffer.compare(a.key, b.key));
    if (options.reverse) inRange.reverse();
    return options.limit === undefined ? inRange : inRange.slice(0, options.limit);
  }

  scanPrefix(table: string, prefix: Uint8Array, options: RangeOptions = {}): KvEntry[] {
    return this.range(table, prefix, prefixEnd(prefix), options);
  }

  /** Applies a (valid) batch; one store revision when anything changed. */
  batch(ops: readonly KvBatchOp[]): void {
    let changed = false;
    for (const op of ops) {
      if (op.type === 'put') {
        this.table(op.table).set(hex(op.key), {
          key: Uint8Array.from(op.key),
          value: Uint8Array.from(op.value),
        });
        changed = true;
      } else {
        changed = this.table(op.table).delete(hex(op.key)) || changed;
      }
    }
    if (changed) this.revisionsUsed++;
  }

  compareAndSwap(
    table: string,
    key: Uint8Array,
    expected: Uint8Array | null,
    next: Uint8Array | null,
  ): boolean {
    const current = this.get(table, key);
    const matches =
      expected === null ? current === undefined : current !== undefined && bytesEqual(current, expected);
    if (!matches) return false;
    if (next !== null) this.put(table, key, next);
    else if (current !== undefined) this.delete(table, key);
    return true;
  }

  incrementRevision(zone: string): bigint {
    const next = (this.counters.get(zone) ?? 0n) + 1n;
    this.counters.set(zone, next);
    this.revisionsUsed++;
    return next;
  }

  getRevision(zone: string): bigint {
    return this.counters.get(zone) ?? 0n;
  }
}
