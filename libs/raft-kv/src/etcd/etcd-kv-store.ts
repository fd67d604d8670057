import type { ICompare, IKeyValue, IRequestOp } from 'etcd3';
import { Etcd3 } from 'etcd3';
import { bigintCodec, prefixEnd, stringCodec } from '../codecs';
import { KvError, KvErrorCode } from '../kv.errors';
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
import type { SnapshotEntry } from '../snapshot/snapshot-format';
import { exportSnapshotFrom, importSnapshotInto } from '../snapshot/snapshot-io';
import * as check from '../validation';
import { EtcdKeyspace } from './etcd-keys';
import type { EtcdContext } from './etcd-locks';
import { EtcdLocks } from './etcd-locks';
import { EtcdRanges } from './etcd-ranges';
import { EtcdWatch } from './etcd-watch';

export interface EtcdKvStoreOptions {
  /** Client URLs of the members, e.g. ['http://10.0.0.1:2379', …]. */
  endpoints: string[];
  /** Prefix of every key this store writes (default `nexus/kv/`); must end with '/'. */
  namespace?: string;
  /** Deadline of one request; a member that does not answer in time is retried on another (default 5 s). */
  requestTimeoutMs?: number;
}

const MAX_CACHED_COUNTERS = 10_000;

interface Counter {
  value: bigint;
  modRevision: string;
}

/**
 * The cluster engine on etcd v3. Every call is a linearizable etcd request, so
 * all API processes see one order of writes; revisions, CAS and locks are etcd
 * transactions and leases (see etcd-locks.ts). Consensus is etcd's own Raft.
 */
export class EtcdKvStore extends KvStore {
  readonly engine = 'etcd' as const;
  private readonly etcd: EtcdContext;
  private readonly locks: EtcdLocks;
  private readonly ranges: EtcdRanges;
  private readonly watches = new Set<EtcdWatch>();
  /** Last known value and mod revision per zone, so an uncontended increment is one round trip. */
  private readonly counters = new Map<string, Counter>();
  private closed = false;

  constructor(options: EtcdKvStoreOptions) {
    super();
    if (options.endpoints.length === 0)
      throw new KvError(KvErrorCode.InvalidArgument, 'etcd needs at least one endpoint');
    const timeoutMs = options.requestTimeoutMs ?? 5_000;
    const client = new Etcd3({
      hosts: options.endpoints,
      dialTimeout: timeoutMs,
      defaultCallOptions: (context) => (context.isStream ? {} : { deadline: Date.now() + timeoutMs }),
    });
    this.etcd = {
      client,
      keys: new EtcdKeyspace(options.namespace ?? 'nexus/kv/'),
      timeoutMs,
      call: (op) => this.call(op),
    };
    this.locks = new EtcdLocks(this.etcd);
    this.ranges = new EtcdRanges(this.etcd);
  }

  private async call<T>(operation: () => Promise<T>): Promise<T> {
    if (this.closed) throw new KvError(KvErrorCode.Closed, 'The KV store is closed');
    try {
      return await operation();
    } catch (error) {
      if (error instanceof KvError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      const wrapped = new KvError(
        this.closed ? KvErrorCode.Closed : KvErrorCode.Unavailable,
        `etcd: ${message}`,
      );
      wrapped.cause = error;
      throw wrapped;
    }
  }

  private get client(): Etcd3 {
    return this.etcd.client;
  }

  private get keys(): EtcdKeyspace {
    return this.etcd.keys;
  }

  async get(table: string, key: Uint8Array): Promise<Uint8Array | undefined> {
    check.assertTable(table);
    check.assertKey(key);
    const response = await this.call(() => this.client.kv.range({ key: this.keys.key(table, key) }));
    return response.kvs[0]?.value;
  }

  async put(table: string, key: Uint8Array, value: Uint8Array): Promise<void> {
    check.assertWritableTable(table);
    check.assertKey(key);
    check.assertValue(value);
    await this.call(() => this.client.kv.put({ key: this.keys.key(table, key), value: Buffer.from(value) }));
  }

  async delete(table: string, key: Uint8Array): Promise<boolean> {
    check.assertWritableTable(table);
    check.assertKey(key);
    const response = await this.call(() => this.client.kv.deleteRange({ key: this.keys.key(table, key) }));
    return Number(response.deleted) > 0;
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
    return this.ranges.read(table, { ...this.keys.range(table, start, end), ...options });
  }

  async scanPrefix(table: string, prefix: Uint8Array, options: RangeOptions = {}): Promise<KvEntry[]> {
    check.assertBound(prefix, 'prefix');
    return this.range(table, prefix, prefixEnd(prefix), options);
  }

  async batch(ops: readonly KvBatchOp[]): Promise<void> {
    check.assertBatch(ops);
    if (ops.length === 0) return;
    const success: IRequestOp[] = ops.map((op) => {
      const key = this.keys.key(op.table, op.key);
      return op.type === 'put'
        ? { request_put: { key, value: Buffer.from(op.value) } }
        : { request_delete_range: { key } };
    });
    await this.call(() => this.client.kv.txn({ success }));
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
    const full = this.keys.key(table, key);
    const compare: ICompare =
      expected === null
        ? { key: full, target: 'Create', result: 'Equal', create_revision: 0 }
        : { key: full, target: 'Value', result: 'Equal', value: Buffer.from(expected) };
    const success: IRequestOp[] = [
      next === null
        ? { request_delete_range: { key: full } }
        : { request_put: { key: full, value: Buffer.from(next) } },
    ];
    const response = await this.call(() => this.client.kv.txn({ compare: [compare], success }));
    return response.succeeded;
  }

  /**
   * Compare-and-swap on the counter's mod revision: etcd orders competing
   * increments, the losers re-read (from the failed transaction) and try again.
   */
  async incrementRevision(zone: string): Promise<bigint> {
    check.assertName(zone, 'zone');
    const key = this.keys.key(REVISIONS_TABLE, stringCodec.encode(zone));
    let state = this.counters.get(zone) ?? { value: 0n, modRevision: '0' };
    for (;;) {
      const next = state.value + 1n;
      const response = await this.call(() =>
        this.client.kv.txn({
          compare: [{ key, target: 'Mod', result: 'Equal', mod_revision: state.modRevision }],
          success: [{ request_put: { key, value: Buffer.from(bigintCodec.encode(next)) } }],
          failure: [{ request_range: { key } }],
        }),
      );
      if (response.succeeded) {
        if (this.counters.size >= MAX_CACHED_COUNTERS) this.counters.clear();
        this.counters.set(zone, { value: next, modRevision: response.header.revision });
        return next;
      }
      state = this.counterOf(response.responses[0]?.response_range.kvs[0]);
    }
  }

  private counterOf(kv: IKeyValue | undefined): Counter {
    return kv
      ? { value: bigintCodec.decode(kv.value), modRevision: kv.mod_revision }
      : { value: 0n, modRevision: '0' };
  }

  async getRevision(zone: string): Promise<bigint> {
    check.assertName(zone, 'zone');
    const key = this.keys.key(REVISIONS_TABLE, stringCodec.encode(zone));
    const response = await this.call(() => this.client.kv.range({ key }));
    return this.counterOf(response.kvs[0]).value;
  }

  async currentRevision(): Promise<bigint> {
    const response = await this.call(() => this.client.kv.range({ key: this.keys.root, count_only: true }));
    return BigInt(response.header.revision);
  }

  async acquireLock(name: string, owner: string, ttlMs: number): Promise<LockGrant | null> {
    this.checkLock(name, owner, ttlMs);
    return this.locks.acquire(name, owner, ttlMs);
  }

  async renewLock(name: string, owner: string, ttlMs: number): Promise<boolean> {
    this.checkLock(name, owner, ttlMs);
    return this.locks.renew(name, owner, ttlMs);
  }

  async releaseLock(name: string, owner: string): Promise<boolean> {
    this.checkLock(name, owner, 1);
    return this.locks.release(name, owner);
  }

  async lockOwner(name: string): Promise<string | null> {
    check.assertName(name, 'lock name');
    return this.locks.owner(name);
  }

  private checkLock(name: string, owner: string, ttlMs: number): void {
    check.assertName(name, 'lock name');
    check.assertName(owner, 'lock owner');
    check.assertTtl(ttlMs);
  }

  async watch(table: string, prefix: Uint8Array, fromRevision?: bigint): Promise<KvWatch> {
    check.assertTable(table);
    check.assertBound(prefix, 'prefix');
    if (this.closed) throw new KvError(KvErrorCode.Closed, 'The KV store is closed');
    const watch = await EtcdWatch.open(this.etcd, table, prefix, fromRevision, (done) =>
      this.watches.delete(done),
    );
    this.watches.add(watch);
    return watch;
  }

  async listTables(): Promise<string[]> {
    return this.ranges.tables(undefined);
  }

  exportSnapshot(): AsyncIterable<Uint8Array> {
    return exportSnapshotFrom('etcd', async () => {
      const revision = (await this.currentRevision()).toString();
      const tables = (await this.ranges.tables(revision)).filter((table) => table !== LOCKS_TABLE);
      return {
        revision: BigInt(revision),
        tables,
        page: (table, after, limit) =>
          this.ranges.read(table, {
            ...this.keys.range(table, after ?? new Uint8Array(0), undefined),
            after: after !== undefined,
            limit,
            revision,
          }),
        close: () => undefined,
      };
    });
  }

  async importSnapshot(
    source: AsyncIterable<Uint8Array>,
    options?: SnapshotImportOptions,
  ): Promise<SnapshotSummary> {
    this.counters.clear();
    return importSnapshotInto(
      {
        listTables: () => this.listTables(),
        clearData: () => this.clearData(),
        writeEntries: (entries) => this.writeEntries(entries),
      },
      source,
      options,
    );
  }

  private async writeEntries(entries: SnapshotEntry[]): Promise<void> {
    const success: IRequestOp[] = entries.map((entry) => ({
      request_put: { key: this.keys.key(entry.table, entry.key), value: Buffer.from(entry.value) },
    }));
    await this.call(() => this.client.kv.txn({ success }));
  }

  private async clearData(): Promise<void> {
    this.counters.clear();
    for (const table of await this.listTables()) {
      if (table === LOCKS_TABLE) continue;
      const { key, rangeEnd } = this.keys.range(table, new Uint8Array(0), undefined);
      await this.call(() => this.client.kv.deleteRange({ key, range_end: rangeEnd }));
    }
  }

  /** A linearizable read: answers only while a quorum elects a leader. */
  async ping(): Promise<void> {
    await this.currentRevision();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await Promise.allSettled([...this.watches].map((watch) => watch.close()));
    this.closed = true;
    this.client.close();
  }
}
