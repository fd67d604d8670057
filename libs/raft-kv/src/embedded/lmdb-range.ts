import type { Database, RangeOptions as LmdbRangeOptions, Transaction } from 'lmdb';
import type { KvEntry } from '../kv-store';

export interface Bounds {
  /** Inclusive lower bound (exclusive with `after`); undefined: from the first key. */
  lower?: Uint8Array;
  after?: boolean;
  /** Exclusive upper bound; undefined: to the last key. */
  upper?: Uint8Array;
  reverse?: boolean;
  limit?: number;
  transaction?: Transaction;
}

/** Entries of an LMDB table within `bounds`, in key order (reversed on request). */
export function readRange(db: Database<Buffer, Buffer>, bounds: Bounds): KvEntry[] {
  const lower = bounds.lower && bounds.lower.length > 0 ? (bounds.lower as Buffer) : undefined;
  const upper = bounds.upper as Buffer | undefined;
  if (upper !== undefined && upper.length === 0) return []; // nothing sorts below the empty key
  const spec: LmdbRangeOptions = bounds.reverse
    ? {
        start: upper,
        exclusiveStart: upper !== undefined,
        end: lower,
        inclusiveEnd: lower !== undefined && !bounds.after,
        reverse: true,
      }
    : { start: lower, exclusiveStart: lower !== undefined && bounds.after === true, end: upper };
  if (bounds.limit !== undefined) spec.limit = bounds.limit;
  if (bounds.transaction) spec.transaction = bounds.transaction;
  const entries: KvEntry[] = [];
  for (const { key, value } of db.getRange(spec)) entries.push({ key, value });
  return entries;
}
