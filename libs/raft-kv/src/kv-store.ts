/**
 * The one KV interface both engines implement (embedded LMDB, etcd cluster) and
 * one contract test suite checks (testing/kv-store.contract.ts).
 *
 * Keys and values are bytes; see codecs.ts and typed-table.ts for strings, JSON
 * and bigints on top. Keys order as unsigned bytes (memcmp) in both engines.
 */

/** Tables the library manages itself: readable through the generic API, writable only through their methods. */
export const REVISIONS_TABLE = 'revisions';
export const LOCKS_TABLE = 'sm_locks';
export const RESERVED_TABLES: ReadonlySet<string> = new Set([REVISIONS_TABLE, LOCKS_TABLE]);

export type KvEngine = 'embedded' | 'etcd';

export interface KvEntry {
  key: Uint8Array;
  value: Uint8Array;
}

export interface RangeOptions {
  /** At most this many entries (default: all). */
  limit?: number;
  /** Highest key first. */
  reverse?: boolean;
}

export type KvBatchOp =
  | { type: 'put'; table: string; key: Uint8Array; value: Uint8Array }
  | { type: 'delete'; table: string; key: Uint8Array };

/** One change seen by a watcher. Changes written together (a batch) share one revision. */
export interface KvChange {
  type: 'put' | 'delete';
  table: string;
  key: Uint8Array;
  /** The new value of a put. */
  value?: Uint8Array;
  /** The store revision at which the change was committed. */
  revision: bigint;
}

/**
 * A live stream of changes. Iterate it with `for await`; leaving the loop,
 * calling `close()` or closing the store ends it. The iterator throws a KvError
 * when the watch cannot continue: KV_COMPACTED (the history it needs is gone),
 * KV_WATCH_OVERFLOW (etcd: more than 10 000 changes left unread),
 * KV_UNAVAILABLE (etcd: the watch could not be re-established).
 *
 * History: the embedded engine keeps the last 10 000 store revisions for
 * `fromRevision` (LmdbKvStoreOptions.changeLogRetention); etcd keeps what its
 * compaction policy keeps (none by default).
 */
export interface KvWatch extends AsyncIterable<KvChange> {
  close(): Promise<void>;
}

export interface LockGrant {
  /** Strictly increasing per lock name across acquisitions; pass it to whatever the lock protects. */
  fencingToken: bigint;
}

export interface SnapshotImportOptions {
  /** Clear every table first instead of refusing a store that holds data. */
  replace?: boolean;
}

export interface SnapshotSummary {
  /** Entries written (export: read). */
  entries: number;
  /** Hex SHA-256 over every entry in snapshot order (see snapshot-format.ts). */
  checksum: string;
  /** Entries per table. */
  tables: Record<string, number>;
}

/**
 * A consensus-backed key-value store. Also the Nest injection token KvModule provides.
 *
 * Limits (both engines, checked before any I/O): table names match
 * /^[a-z][a-z0-9_]{0,62}$/; keys are 1–1024 bytes; values at most 512 KiB;
 * a batch has at most 128 operations, 1 MiB in total, and touches each key once.
 */
export abstract class KvStore {
  abstract readonly engine: KvEngine;

  abstract get(table: string, key: Uint8Array): Promise<Uint8Array | undefined>;
  abstract put(table: string, key: Uint8Array, value: Uint8Array): Promise<void>;
  /** Resolves true when the key existed. */
  abstract delete(table: string, key: Uint8Array): Promise<boolean>;
  /** Entries with start <= key < end (end undefined: to the end of the table), in key order. */
  abstract range(
    table: string,
    start: Uint8Array,
    end?: Uint8Array,
    options?: RangeOptions,
  ): Promise<KvEntry[]>;
  abstract scanPrefix(table: string, prefix: Uint8Array, options?: RangeOptions): Promise<KvEntry[]>;
  /** Applies every operation or none. */
  abstract batch(ops: readonly KvBatchOp[]): Promise<void>;
  /**
   * Writes `next` (null: deletes) only when the current value equals `expected`
   * (null: the key is absent). Resolves whether it wrote.
   */
  abstract compareAndSwap(
    table: string,
    key: Uint8Array,
    expected: Uint8Array | null,
    next: Uint8Array | null,
  ): Promise<boolean>;

  /** Atomically adds one to the zone's counter and resolves the new value (first call: 1n). Never goes back. */
  abstract incrementRevision(zone: string): Promise<bigint>;
  /** The zone's counter without changing it (0n before the first increment). */
  abstract getRevision(zone: string): Promise<bigint>;
  /** The store's change revision: the revision of the latest committed write (watch positions). */
  abstract currentRevision(): Promise<bigint>;

  /**
   * Takes the lock for `ttlMs` unless another owner holds it (resolves null).
   * The holder asking again extends it and keeps its fencing token. On etcd the
   * TTL is a lease: whole seconds, at least the server's minimum (about 2 s).
   */
  abstract acquireLock(name: string, owner: string, ttlMs: number): Promise<LockGrant | null>;
  /** Extends a lock `owner` still holds by `ttlMs`; false when it expired or someone else holds it. */
  abstract renewLock(name: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Releases a lock `owner` holds; false (and nothing changes) otherwise. */
  abstract releaseLock(name: string, owner: string): Promise<boolean>;
  /** Who holds the lock now, or null when nobody does (never acquired, released or expired). */
  abstract lockOwner(name: string): Promise<string | null>;

  /**
   * Watches keys of `table` that start with `prefix`. Resolves once the watch is
   * established: every change committed afterwards is delivered, in revision
   * order. With `fromRevision`, changes since that revision are replayed first.
   */
  abstract watch(table: string, prefix: Uint8Array, fromRevision?: bigint): Promise<KvWatch>;

  /** Table names holding at least one entry, sorted. */
  abstract listTables(): Promise<string[]>;
  /** Streams every table except sm_locks (locks are leases, not data) in snapshot format. */
  abstract exportSnapshot(): AsyncIterable<Uint8Array>;
  /** Loads a snapshot stream; verifies its entry count and checksum before resolving. */
  abstract importSnapshot(
    source: AsyncIterable<Uint8Array>,
    options?: SnapshotImportOptions,
  ): Promise<SnapshotSummary>;

  /** Resolves when the engine can serve reads and writes (readiness). */
  abstract ping(): Promise<void>;
  /** Ends watches and releases the engine; later calls fail with KV_CLOSED. Idempotent. */
  abstract close(): Promise<void>;
}
