import { KvError, KvErrorCode } from '../kv.errors';
import type { KvEngine, KvEntry, SnapshotImportOptions, SnapshotSummary } from '../kv-store';
import { LOCKS_TABLE } from '../kv-store';
import { KV_LIMITS, assertKey, assertTable, assertValue } from '../validation';
import type { SnapshotEntry } from './snapshot-format';
import { SnapshotDigest, encodeEntry, encodeHeader, encodeTrailer, readSnapshot } from './snapshot-format';

/** A consistent read view an engine opens for export: every page reads the same revision. */
export interface SnapshotView {
  readonly revision: bigint;
  /** Sorted table names to export (sm_locks excluded by the caller). */
  readonly tables: string[];
  /** Up to `limit` entries of `table` with keys greater than `after` (undefined: from the start). */
  page(table: string, after: Uint8Array | undefined, limit: number): Promise<KvEntry[]>;
  close(): void;
}

/** What an engine offers importSnapshot: raw writes that may touch reserved tables. */
export interface SnapshotTarget {
  /** Table names holding data. */
  listTables(): Promise<string[]>;
  /** Deletes every entry of every table except sm_locks. */
  clearData(): Promise<void>;
  /** Writes the entries atomically (at most KV_LIMITS.maxBatchOps, maxBatchBytes). */
  writeEntries(entries: SnapshotEntry[]): Promise<void>;
}

const PAGE_SIZE = 1_000;

/** The snapshot stream of a view: header, every entry table by table in key order, trailer. */
export async function* exportSnapshotFrom(
  engine: KvEngine,
  openView: () => Promise<SnapshotView>,
): AsyncGenerator<Buffer> {
  const view = await openView();
  try {
    const digest = new SnapshotDigest();
    yield encodeHeader(engine, view.revision);
    for (const table of view.tables) {
      if (table === LOCKS_TABLE) continue;
      let after: Uint8Array | undefined;
      for (;;) {
        const page = await view.page(table, after, PAGE_SIZE);
        for (const entry of page) {
          const frame = encodeEntry({ table, key: entry.key, value: entry.value });
          digest.add(table, frame);
          yield frame;
        }
        if (page.length < PAGE_SIZE) break;
        after = page[page.length - 1]?.key;
      }
    }
    yield encodeTrailer(digest.summary());
  } finally {
    view.close();
  }
}

function checkEntry(entry: SnapshotEntry): void {
  assertTable(entry.table);
  if (entry.table === LOCKS_TABLE) {
    throw new KvError(
      KvErrorCode.SnapshotInvalid,
      'Invalid snapshot: it holds sm_locks entries (locks are not data)',
    );
  }
  assertKey(entry.key);
  assertValue(entry.value);
}

/**
 * Loads a snapshot stream into an empty target (or a cleared one with `replace`),
 * in batches. If the stream turns out invalid, everything it wrote is removed
 * again and the error is rethrown: the target is left empty, never half-loaded.
 */
export async function importSnapshotInto(
  target: SnapshotTarget,
  source: AsyncIterable<Uint8Array>,
  options: SnapshotImportOptions = {},
): Promise<SnapshotSummary> {
  const holding = (await target.listTables()).filter((table) => table !== LOCKS_TABLE);
  if (holding.length > 0) {
    if (!options.replace) {
      throw new KvError(
        KvErrorCode.NotEmpty,
        `The store already holds data (${holding.join(', ')}); import with replace to overwrite it`,
        {
          tables: holding,
        },
      );
    }
    await target.clearData();
  }
  let chunk: SnapshotEntry[] = [];
  let chunkBytes = 0;
  const flush = async () => {
    if (chunk.length === 0) return;
    await target.writeEntries(chunk);
    chunk = [];
    chunkBytes = 0;
  };
  try {
    const reader = readSnapshot(source);
    for (;;) {
      const next = await reader.next();
      if (next.done) {
        await flush();
        const { entries, checksum, tables } = next.value;
        return { entries, checksum, tables };
      }
      const entry = next.value;
      checkEntry(entry);
      const size = entry.key.length + entry.value.length;
      if (chunk.length >= KV_LIMITS.maxBatchOps || chunkBytes + size > KV_LIMITS.maxBatchBytes) await flush();
      chunk.push(entry);
      chunkBytes += size;
    }
  } catch (error) {
    await target.clearData();
    if (error instanceof KvError && error.code === KvErrorCode.InvalidArgument) {
      throw new KvError(KvErrorCode.SnapshotInvalid, `Invalid snapshot: ${error.message}`);
    }
    throw error;
  }
}
