import type { Database } from 'lmdb';
import { KvError, KvErrorCode } from '../kv.errors';
import type { KvChange, KvWatch } from '../kv-store';
import { matching, readChangeLog } from './change-log';
import { META_COMPACTED, readMetaCounter } from './lmdb-writer';

/** How often a waiting watcher looks at the log for writes of other processes. */
const POLL_MS = 200;
const READ_BATCH = 256;

/** Wakes waiting watchers when this process commits; they poll for other processes. */
export class ChangeFeed {
  private readonly waiters = new Set<() => void>();

  notify(): void {
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const wake of waiters) wake();
  }

  wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.waiters.add(wake);
    });
  }
}

export interface LmdbWatchDeps {
  changes: Database<Buffer, Buffer>;
  meta: Database<Buffer, Buffer>;
  feed: ChangeFeed;
  /** Makes the next read see the latest commit of any process. */
  refresh(): void;
  storeClosed(): boolean;
  /** Called once when the watch ends. */
  forget(): void;
}

/**
 * A watch that tails the persisted change log from `position` (the last
 * revision already seen). Pull-based: it reads the log only as fast as the
 * consumer iterates, so a slow consumer costs no memory — until the log is
 * trimmed past it, which ends the watch with KV_COMPACTED.
 */
export class LmdbWatch implements KvWatch {
  private closed = false;
  private iterator: AsyncGenerator<KvChange> | undefined;

  constructor(
    private readonly deps: LmdbWatchDeps,
    private readonly table: string,
    private readonly prefix: Uint8Array,
    private position: bigint,
  ) {}

  [Symbol.asyncIterator](): AsyncIterator<KvChange> {
    this.iterator ??= this.run();
    return this.iterator;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.deps.forget();
    this.deps.feed.notify();
    await this.iterator?.return(undefined);
  }

  private done(): boolean {
    return this.closed || this.deps.storeClosed();
  }

  private async *run(): AsyncGenerator<KvChange> {
    try {
      yield* this.tail();
    } finally {
      this.closed = true;
      this.deps.forget();
    }
  }

  private async *tail(): AsyncGenerator<KvChange> {
    while (!this.done()) {
      this.deps.refresh();
      const compacted = readMetaCounter(this.deps.meta, META_COMPACTED);
      if (this.position < compacted) {
        throw new KvError(
          KvErrorCode.Compacted,
          `Revision ${this.position + 1n} is no longer in the change log`,
          {
            compactedThrough: compacted.toString(),
          },
        );
      }
      const batch = readChangeLog(this.deps.changes, this.position + 1n, READ_BATCH);
      if (batch.length === 0) {
        await this.deps.feed.wait(POLL_MS);
        continue;
      }
      for (const logged of batch) {
        this.position = logged.revision;
        for (const change of matching(logged, this.table, this.prefix)) {
          if (this.done()) return;
          yield change;
        }
      }
    }
  }
}
