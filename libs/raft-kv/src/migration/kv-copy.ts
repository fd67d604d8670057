import { KvError, KvErrorCode } from '../kv.errors';
import type { KvStore, SnapshotSummary } from '../kv-store';
import { readSnapshot } from '../snapshot/snapshot-format';

export interface CopyProgress {
  entries: number;
  total: number;
}

export interface CopyOptions {
  /** Only read the source and report what would be copied. */
  dryRun?: boolean;
  /** Clear the target first instead of refusing one that holds data. */
  replace?: boolean;
  /** Called every `progressEvery` entries (default 500) and at the end. */
  onProgress?: (progress: CopyProgress) => void;
  progressEvery?: number;
}

export interface CopyReport {
  source: SnapshotSummary;
  /** The target's own digest after the copy; undefined for a dry run. */
  target?: SnapshotSummary;
  dryRun: boolean;
}

/** Entry count, per-table counts and checksum of everything a store would export. */
export async function digestStore(store: KvStore): Promise<SnapshotSummary> {
  const reader = readSnapshot(store.exportSnapshot());
  for (;;) {
    const next = await reader.next();
    if (next.done)
      return { entries: next.value.entries, checksum: next.value.checksum, tables: next.value.tables };
  }
}

/** Counts snapshot frames passing through, for progress reports. */
async function* counting(
  source: AsyncIterable<Uint8Array>,
  total: number,
  options: CopyOptions,
): AsyncGenerator<Uint8Array> {
  const every = options.progressEvery ?? 500;
  let entries = 0;
  for await (const frame of source) {
    // Every frame the exporter yields is whole; type 2 is an entry.
    if (frame[0] === 2) {
      entries++;
      if (entries % every === 0) options.onProgress?.({ entries, total });
    }
    yield frame;
  }
  options.onProgress?.({ entries, total });
}

/**
 * Copies every table of `source` (not its locks) into `target` through the
 * snapshot stream, then proves the copy: the target's own export must have the
 * same entry count and checksum as the source's. Stop writers first: entries
 * written to the source during the copy are not carried over.
 */
export async function copyStore(
  source: KvStore,
  target: KvStore,
  options: CopyOptions = {},
): Promise<CopyReport> {
  const before = await digestStore(source);
  if (options.dryRun) return { source: before, dryRun: true };
  const written = await target.importSnapshot(counting(source.exportSnapshot(), before.entries, options), {
    replace: options.replace,
  });
  const after = await digestStore(target);
  if (
    written.checksum !== before.checksum ||
    after.checksum !== before.checksum ||
    after.entries !== before.entries
  ) {
    throw new KvError(
      KvErrorCode.SnapshotInvalid,
      'The copy does not match the source (was the source written during the copy?)',
      {
        source: before,
        target: after,
      },
    );
  }
  return { source: before, target: after, dryRun: false };
}
