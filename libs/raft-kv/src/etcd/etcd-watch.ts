import type { IWatchResponse, Watcher } from 'etcd3';
import { AsyncQueue } from '../async-queue';
import { KvError, KvErrorCode } from '../kv.errors';
import type { KvChange, KvWatch } from '../kv-store';
import type { EtcdContext } from './etcd-locks';

/** Changes a watcher may leave unread before it fails with KV_WATCH_OVERFLOW. */
const WATCH_CAPACITY = 10_000;

function watchError(error: unknown): KvError {
  const message = error instanceof Error ? error.message : String(error);
  if (/compact/i.test(message))
    return new KvError(KvErrorCode.Compacted, `etcd compacted the requested revisions: ${message}`);
  return new KvError(KvErrorCode.Unavailable, `etcd watch failed: ${message}`);
}

/**
 * An etcd watch on `<table>/<prefix>` as an async iterator. etcd3's watch
 * manager reconnects to another member after a failure and resumes after the
 * last revision it delivered, so a member dying does not lose or repeat events.
 */
export class EtcdWatch implements KvWatch {
  private closed = false;

  private constructor(
    private readonly watcher: Watcher,
    private readonly queue: AsyncQueue<KvChange>,
    private readonly forget: () => void,
  ) {}

  static async open(
    etcd: EtcdContext,
    table: string,
    prefix: Uint8Array,
    fromRevision: bigint | undefined,
    forget: (watch: EtcdWatch) => void,
  ): Promise<EtcdWatch> {
    if (fromRevision !== undefined) await EtcdWatch.checkNotCompacted(etcd, fromRevision);
    const builder = etcd.client.watch().prefix(etcd.keys.key(table, prefix));
    if (fromRevision !== undefined) builder.startRevision(fromRevision.toString());
    const watcher = builder.watcher();
    const opened: { watch?: EtcdWatch } = {};
    const queue = new AsyncQueue<KvChange>(WATCH_CAPACITY, () => opened.watch?.close() ?? Promise.resolve());
    watcher.on('data', (response: IWatchResponse) => {
      for (const event of response.events) {
        const parsed = etcd.keys.parse(event.kv.key);
        if (!parsed || parsed.table !== table) continue;
        const change: KvChange = {
          type: event.type === 'Put' ? 'put' : 'delete',
          table,
          key: parsed.key,
          revision: BigInt(event.kv.mod_revision),
        };
        if (event.type === 'Put') change.value = Uint8Array.from(event.kv.value);
        queue.push(change);
      }
    });
    watcher.on('error', (error) => queue.fail(watchError(error)));
    const watch: EtcdWatch = new EtcdWatch(watcher, queue, () => forget(watch));
    opened.watch = watch;
    try {
      await EtcdWatch.connected(watcher, etcd.timeoutMs);
    } catch (error) {
      await watch.close();
      throw watchError(error);
    }
    return watch;
  }

  private static connected(watcher: Watcher, timeoutMs: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (watcher.id !== null) return resolve();
      const timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      watcher.once('connected', () => {
        clearTimeout(timer);
        resolve();
      });
      watcher.once('error', (error: Error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
  }

  /** etcd would cancel the watch; a ranged read at that revision says why, up front. */
  private static async checkNotCompacted(etcd: EtcdContext, fromRevision: bigint): Promise<void> {
    if (typeof fromRevision !== 'bigint' || fromRevision < 1n) {
      throw new KvError(KvErrorCode.InvalidArgument, 'fromRevision must be a bigint >= 1n');
    }
    const current = await etcd.call(() => etcd.client.kv.range({ key: etcd.keys.root, count_only: true }));
    if (fromRevision > BigInt(current.header.revision)) return;
    try {
      await etcd.call(() =>
        etcd.client.kv.range({ key: etcd.keys.root, count_only: true, revision: fromRevision.toString() }),
      );
    } catch (error) {
      throw watchError(error instanceof Error && error.cause instanceof Error ? error.cause : error);
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<KvChange> {
    return this.queue;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.queue.end();
    this.forget();
    await this.watcher.cancel();
  }
}
