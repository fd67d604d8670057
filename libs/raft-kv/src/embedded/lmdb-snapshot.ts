import type { Database, RootDatabase } from 'lmdb';
import { LOCKS_TABLE } from '../kv-store';
import type { SnapshotEntry } from '../snapshot/snapshot-format';
import type { SnapshotTarget, SnapshotView } from '../snapshot/snapshot-io';
import { KV_LIMITS } from '../validation';
import type { LoggedChange } from './change-log';
import { readRange } from './lmdb-range';
import type { LmdbTables } from './lmdb-tables';
import type { LmdbWriter } from './lmdb-writer';
import { META_REVISION, readMetaCounter } from './lmdb-writer';

/**
 * Snapshot support of the embedded engine. Export reads every page through one
 * LMDB read transaction, so the snapshot is one consistent revision however
 * long it takes; import writes through the writer like any other write (logged,
 * one store revision per chunk).
 */
export class LmdbSnapshots implements SnapshotTarget {
  constructor(
    private readonly env: RootDatabase,
    private readonly meta: Database<Buffer, Buffer>,
    private readonly table: (name: string) => Database<Buffer, Buffer>,
    private readonly tables: LmdbTables,
    private readonly writer: LmdbWriter,
  ) {}

  view(): SnapshotView {
    const tables = this.tables.nonEmpty();
    const transaction = this.env.useReadTransaction();
    return {
      revision: readMetaCounter(this.meta, META_REVISION),
      tables,
      page: async (table, after, limit) =>
        readRange(this.table(table), { lower: after, after: true, limit, transaction }),
      close: () => transaction.done(),
    };
  }

  async listTables(): Promise<string[]> {
    return this.tables.nonEmpty();
  }

  async writeEntries(entries: SnapshotEntry[]): Promise<void> {
    for (const entry of entries) this.table(entry.table);
    const writes: LoggedChange[] = entries.map((entry) => ({ type: 'put', ...entry }));
    await this.writer.run(() => ({ result: undefined, writes }));
  }

  /** Deletes table by table in logged chunks, so watchers see the deletes as etcd's would. */
  async clearData(): Promise<void> {
    for (const table of this.tables.nonEmpty().filter((name) => name !== LOCKS_TABLE)) {
      for (;;) {
        const keys = readRange(this.table(table), { limit: KV_LIMITS.maxBatchOps });
        if (keys.length === 0) break;
        const writes: LoggedChange[] = keys.map(({ key }) => ({ type: 'delete', table, key }));
        await this.writer.run(() => ({ result: undefined, writes }));
      }
    }
  }
}
