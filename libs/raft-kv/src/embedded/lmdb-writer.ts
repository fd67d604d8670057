import type { Database, RootDatabase } from 'lmdb';
import { bigintCodec } from '../codecs';
import type { LoggedChange } from './change-log';
import { TRIM_STEP, encodeChanges, trimChangeLog } from './change-log';

/** What a planned operation wants written, and what its caller gets back. */
export interface Planned<T> {
  result: T;
  /** Written at one new store revision; none: the store revision does not move. */
  writes: LoggedChange[];
}

/**
 * Plans run inside the LMDB write transaction: reads see every earlier write of
 * the same transaction and no other process can write meanwhile. `revision` is
 * the store revision the plan's writes will get. A plan must not write itself
 * and should only throw before deciding (LMDB cannot roll back one plan).
 */
export type Plan<T> = (revision: bigint) => Planned<T>;

interface Pending {
  plan: Plan<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export const META_REVISION = Buffer.from('revision');
export const META_COMPACTED = Buffer.from('compacted');

export interface LmdbWriterDeps {
  env: RootDatabase;
  meta: Database<Buffer, Buffer>;
  changes: Database<Buffer, Buffer>;
  table(name: string): Database<Buffer, Buffer>;
  retention: bigint;
  onCommitted(revision: bigint): void;
}

export function readMetaCounter(meta: Database<Buffer, Buffer>, key: Buffer): bigint {
  const bytes = meta.getBinary(key);
  return bytes ? bigintCodec.decode(bytes) : 0n;
}

/**
 * Group commit: operations queued in the same event-loop turn run as plans in
 * one LMDB write transaction, each with its own store revision and change-log
 * record. The environment syncs on commit (overlappingSync off), so a promise
 * resolves only once its write is on disk. Several processes may share the
 * environment: the revision is read inside the transaction, under LMDB's lock.
 */
export class LmdbWriter {
  private queue: Pending[] = [];
  private scheduled = false;
  private inFlight = new Set<Promise<unknown>>();

  constructor(private readonly deps: LmdbWriterDeps) {}

  run<T>(plan: Plan<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ plan, resolve: resolve as (value: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Resolves when every queued operation has committed or failed. */
  async drain(): Promise<void> {
    while (this.queue.length > 0 || this.inFlight.size > 0) {
      if (this.queue.length > 0 && !this.scheduled) this.flush();
      await Promise.allSettled([...this.inFlight]);
      if (this.queue.length > 0) await new Promise((resolve) => setImmediate(resolve));
    }
  }

  private flush(): void {
    this.scheduled = false;
    const ops = this.queue;
    this.queue = [];
    if (ops.length === 0) return;
    const outcomes: { ok: boolean; value: unknown }[] = [];
    let committed = 0n;
    const transaction = this.deps.env
      .transaction(() => {
        committed = this.apply(ops, outcomes);
      })
      .then(
        () => {
          ops.forEach((op, i) => {
            const outcome = outcomes[i];
            if (outcome?.ok) op.resolve(outcome.value);
            else op.reject(outcome?.value ?? new Error('operation did not run'));
          });
          if (committed > 0n) this.deps.onCommitted(committed);
        },
        (error: unknown) => {
          for (const op of ops) op.reject(error);
        },
      )
      .finally(() => this.inFlight.delete(transaction));
    this.inFlight.add(transaction);
  }

  /** Runs inside the transaction; returns the new store revision, or 0n when nothing was written. */
  private apply(ops: Pending[], outcomes: { ok: boolean; value: unknown }[]): bigint {
    const { meta, changes, retention } = this.deps;
    const start = readMetaCounter(meta, META_REVISION);
    let revision = start;
    ops.forEach((op, i) => {
      try {
        const planned = op.plan(revision + 1n);
        if (planned.writes.length > 0) {
          revision += 1n;
          this.write(planned.writes);
          changes.putSync(bigintCodec.encode(revision) as Buffer, encodeChanges(planned.writes));
        }
        outcomes[i] = { ok: true, value: planned.result };
      } catch (error) {
        outcomes[i] = { ok: false, value: error };
      }
    });
    if (revision === start) return 0n;
    meta.putSync(META_REVISION, bigintCodec.encode(revision) as Buffer);
    if (revision / TRIM_STEP > start / TRIM_STEP && revision > retention) {
      const through = revision - retention;
      trimChangeLog(changes, through);
      if (through > readMetaCounter(meta, META_COMPACTED))
        meta.putSync(META_COMPACTED, bigintCodec.encode(through) as Buffer);
    }
    return revision;
  }

  private write(writes: LoggedChange[]): void {
    for (const change of writes) {
      const db = this.deps.table(change.table);
      if (change.type === 'put')
        db.putSync(change.key as Buffer, (change.value ?? new Uint8Array(0)) as Buffer);
      else db.removeSync(change.key as Buffer);
    }
  }
}
