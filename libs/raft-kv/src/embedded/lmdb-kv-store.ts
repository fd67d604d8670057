import { mkdirSync } from 'node:fs';
import type { Database, RootDatabase } from 'lmdb';
import { open } from 'lmdb';
import { bigintCodec, bytesEqual, prefixEnd, stringCodec } from '../codecs';
import { KvError, KvErrorCode, invalidArgument } from '../kv.errors';
import type {
  KvBatchOp,
  KvEntry,
  KvWatch,
  LockGrant,
  RangeOptions,
  SnapshotImportOptions,
  SnapshotSummary,
} from '../kv-store';
import { KvStore, LOCKS_TABLE, REVISIONS_TABLE } from '../kv-store';
import { exportSnapshotFrom, importSnapshotInto } from '../snapshot/snapshot-io';
import * as check from '../validation';
import type { LoggedChange } from './change-log';
import { currentOwner, planAcquire, planRelease, planRenew } from './lmdb-locks';
import { readRange } from './lmdb-range';
import { LmdbSnapshots } from './lmdb-snapshot';
import { CHANGES_DB, LmdbTables, MAX_DBS, META_DB } from './lmdb-tables';
import { ChangeFeed, LmdbWatch } from './lmdb-watch';
import { LmdbWriter, META_COMPACTED, META_REVISION, readMetaCounter } from './lmdb-writer';

export interface LmdbKvStoreOptions {
  /** Directory of the LMDB environment (created if missing), e.g. `${NEXUS_DATA_DIR}/kv`. */
  path: string;
  /** Store revisions the change log keeps for `watch(…, fromRevision)` (default 10 000). */
  changeLogRetention?: number;
  /** Clock for lock expiry (tests). */
  now?: () => number;
}

const DEFAULT_RETENTION = 10_000;

/**
 * The embedded engine: one LMDB environment, durable on every resolved write,
 * shared safely by several processes on one machine. Writes go through the
 * group-commit writer, which gives each one a store revision and logs it for
 * watchers (see lmdb-writer.ts and change-log.ts).
 */
export class LmdbKvStore extends KvStore {
  readonly engine = 'embedded' as const;
  private readonly tables: LmdbTables;
  private readonly meta: Database<Buffer, Buffer>;
  private readonly changes: Database<Buffer, Buffer>;
  private readonly writer: LmdbWriter;
  private readonly snapshots: LmdbSnapshots;
  private readonly feed = new ChangeFeed();
  private readonly watches = new Set<LmdbWatch>();
  private readonly now: () => number;
  private closed = false;

  private constructor(
    private readonly env: RootDatabase,
    options: LmdbKvStoreOptions,
  ) {
    super();
    this.now = options.now ?? Date.now;
    this.tables = new LmdbTables(env);
    this.meta = env.openDB<Buffer, Buffer>({ name: META_DB, keyEncoding: 'binary', encoding: 'binary' });
    this.changes = env.openDB<Buffer, Buffer>({
      name: CHANGES_DB,
      keyEncoding: 'binary',
      encoding: 'binary',
    });
    const retention = options.changeLogRetention ?? DEFAULT_RETENTION;
    if (!Number.isSafeInteger(retention) || retention < 1)
      throw invalidArgument('changeLogRetention must be a positive integer');
    this.writer = new LmdbWriter({
      env,
      meta: this.meta,
      changes: this.changes,
      table: (name) => this.tables.open(name),
      retention: BigInt(retention),
      onCommitted: () => this.feed.notify(),
    });
    for (const table of [REVISIONS_TABLE, LOCKS_TABLE]) this.tables.open(table);
    this.snapshots = new LmdbSnapshots(env, this.meta, (name) => this.table(name), this.tables, this.writer);
  }

  static open(options: LmdbKvStoreOptions): LmdbKvStore {
    mkdirSync(options.path, { recursive: true });
    const env = open({ path: options.path, maxDbs: MAX_DBS, overlappingSync: false });
    return new LmdbKvStore(env, options);
  }

  private ensureOpen(): void {
    if (this.closed) throw new KvError(KvErrorCode.Closed, 'The KV store is closed');
  }

  private table(name: string): Database<Buffer, Buffer> {
    this.ensureOpen();
    return this.tables.open(name);
  }

  async get(table: string, key: Uint8Array): Promise<Uint8Array | undefined> {
    check.assertTable(table);
    check.assertKey(key);
    return this.table(table).getBinary(key as Buffer);
  }

  async put(table: string, key: Uint8Array, value: Uint8Array): Promise<void> {
    check.assertWritableTable(table);
    check.assertKey(key);
    check.assertValue(value);
    this.table(table);
    const writes: LoggedChange[] = [{ type: 'put', table, key, value }];
    return this.writer.run(() => ({ result: undefined, writes }));
  }

  async delete(table: string, key: Uint8Array): Promise<boolean> {
    check.assertWritableTable(table);
    check.assertKey(key);
    const db = this.table(table);
    return this.writer.run(() => {
      const exists = db.getBinary(key as Buffer) !== undefined;
      return { result: exists, writes: exists ? [{ type: 'delete', table, key }] : [] };
    });
  }

  async range(
    table: string,
    start: Uint8Array,
    end?: Uint8Array,
    options: RangeOptions = {},
  ): Promise<KvEntry[]> {
    check.assertTable(table);
    check.assertBound(start, 'range start');
    if (end !== undefined) check.assertBound(end, 'range end');
    check.assertLimit(options.limit);
    return readRange(this.table(table), {
      lower: start,
      upper: end,
      reverse: options.reverse,
      limit: options.limit,
    });
  }

  async scanPrefix(table: string, prefix: Uint8Array, options: RangeOptions = {}): Promise<KvEntry[]> {
    check.assertBound(prefix, 'prefix');
    return this.range(table, prefix, prefixEnd(prefix), options);
  }

  async batch(ops: readonly KvBatchOp[]): Promise<void> {
    check.assertBatch(ops);
    const dbs = ops.map((op) => this.table(op.table));
    // Like etcd, deleting an absent key changes nothing: no revision, no watch event.
    return this.writer.run(() => ({
      result: undefined,
      writes: ops.flatMap((op, i): LoggedChange[] => {
        if (op.type === 'put') return [{ type: 'put', table: op.table, key: op.key, value: op.value }];
        return dbs[i]?.getBinary(op.key as Buffer) === undefined
          ? []
          : [{ type: 'delete', table: op.table, key: op.key }];
      }),
    }));
  }

  async compareAndSwap(
    table: string,
    key: Uint8Array,
    expected: Uint8Array | null,
    next: Uint8Array | null,
  ): Promise<boolean> {
    check.assertWritableTable(table);
    check.assertKey(key);
    if (expected !== null) check.assertValue(expected);
    if (next !== null) check.assertValue(next);
    const db = this.table(table);
    return this.writer.run(() => {
      const current = db.getBinary(key as Buffer);
      const matches =
        expected === null ? current === undefined : current !== undefined && bytesEqual(current, expected);
      if (!matches) return { result: false, writes: [] };
      if (next !== null) return { result: true, writes: [{ type: 'put', table, key, value: next }] };
      return { result: true, writes: current === undefined ? [] : [{ type: 'delete', table, key }] };
    });
  }

  async incrementRevision(zone: string): Promise<bigint> {
    check.assertName(zone, 'zone');
    const db = this.table(REVISIONS_TABLE);
    const key = Buffer.from(stringCodec.encode(zone));
    return this.writer.run((): { result: bigint; writes: LoggedChange[] } => {
      const current = db.getBinary(key);
      const value = (current ? bigintCodec.decode(current) : 0n) + 1n;
      return {
        result: value,
        writes: [{ type: 'put', table: REVISIONS_TABLE, key, value: bigintCodec.encode(value) }],
      };
    });
  }

  async getRevision(zone: string): Promise<bigint> {
    check.assertName(zone, 'zone');
    const current = this.table(REVISIONS_TABLE).getBinary(Buffer.from(stringCodec.encode(zone)));
    return current ? bigintCodec.decode(current) : 0n;
  }

  async currentRevision(): Promise<bigint> {
    this.ensureOpen();
    return readMetaCounter(this.meta, META_REVISION);
  }

  async acquireLock(name: string, owner: string, ttlMs: number): Promise<LockGrant | null> {
    this.checkLock(name, owner, ttlMs);
    return this.writer.run(planAcquire(this.table(LOCKS_TABLE), name, owner, ttlMs, this.now));
  }

  async renewLock(name: string, owner: string, ttlMs: number): Promise<boolean> {
    this.checkLock(name, owner, ttlMs);
    return this.writer.run(planRenew(this.table(LOCKS_TABLE), name, owner, ttlMs, this.now));
  }

  async releaseLock(name: string, owner: string): Promise<boolean> {
    this.checkLock(name, owner, 1);
    return this.writer.run(planRelease(this.table(LOCKS_TABLE), name, owner, this.now));
  }

  async lockOwner(name: string): Promise<string | null> {
    check.assertName(name, 'lock name');
    this.env.resetReadTxn();
    return currentOwner(this.table(LOCKS_TABLE), name, this.now());
  }

  private checkLock(name: string, owner: string, ttlMs: number): void {
    check.assertName(name, 'lock name');
    check.assertName(owner, 'lock owner');
    check.assertTtl(ttlMs);
  }

  async watch(table: string, prefix: Uint8Array, fromRevision?: bigint): Promise<KvWatch> {
    check.assertTable(table);
    check.assertBound(prefix, 'prefix');
    this.table(table);
    this.env.resetReadTxn();
    let position = readMetaCounter(this.meta, META_REVISION);
    if (fromRevision !== undefined) {
      if (typeof fromRevision !== 'bigint' || fromRevision < 1n)
        throw invalidArgument('fromRevision must be a bigint >= 1n');
      const compacted = readMetaCounter(this.meta, META_COMPACTED);
      if (fromRevision <= compacted) {
        throw new KvError(KvErrorCode.Compacted, `Revision ${fromRevision} is no longer in the change log`, {
          compactedThrough: compacted.toString(),
        });
      }
      position = fromRevision - 1n;
    }
    const watch: LmdbWatch = new LmdbWatch(
      {
        forget: () => this.watches.delete(watch),
        changes: this.changes,
        meta: this.meta,
        feed: this.feed,
        refresh: () => this.env.resetReadTxn(),
        storeClosed: () => this.closed,
      },
      table,
      Uint8Array.from(prefix),
      position,
    );
    this.watches.add(watch);
    return watch;
  }

  async listTables(): Promise<string[]> {
    this.ensureOpen();
    return this.tables.nonEmpty();
  }

  exportSnapshot(): AsyncIterable<Uint8Array> {
    return exportSnapshotFrom('embedded', async () => this.snapshots.view());
  }

  async importSnapshot(
    source: AsyncIterable<Uint8Array>,
    options?: SnapshotImportOptions,
  ): Promise<SnapshotSummary> {
    this.ensureOpen();
    return importSnapshotInto(this.snapshots, source, options);
  }

  async ping(): Promise<void> {
    this.ensureOpen();
    readMetaCounter(this.meta, META_REVISION);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.watches].map((watch) => watch.close()));
    await this.writer.drain();
    await this.env.close();
  }
}
