import { isDeepStrictEqual } from 'node:util';
import { isUuid } from '@nexus/core';
import { METADATA_TABLE } from './metadata-table';
import type { KvEntry, KvStore } from '@nexus/raft-kv';
import type { DataSource } from 'typeorm';
import type { FileStat } from '../fs.types';
import { toFileStat } from '../mutation/file-stat';
import { FileRows } from '../store/file-rows';
import { MetadataCache } from './metadata-cache';
import type { CachedEntry } from './metadata-cache';

const PAGE = 256;
/** How many repaired paths a report lists (the counts are always complete). */
const LISTED_PATHS = 100;

export interface ReconcileReport extends Record<string, unknown> {
  zones: number;
  checked: number;
  repaired: number;
  removed: number;
  repairedPaths: Array<{ zoneId: string; path: string }>;
}

interface Scope {
  zoneId?: string;
  limit?: number;
}

type Verdict =
  { action: 'keep' } | { action: 'remove' } | { action: 'check'; path: string; entry: CachedEntry };

/** Every field of both stats equal (metadata and tags compared by value). */
function sameStat(a: FileStat | null, b: FileStat | null): boolean {
  if (!a || !b) return a === b;
  const fields = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof FileStat>;
  return [...fields].every((field) => isDeepStrictEqual(a[field], b[field]));
}

function successor(key: Uint8Array): Uint8Array {
  return Buffer.concat([key, Buffer.from([0])]);
}

/** The first key after every key starting with `prefix` (its last byte is not 0xff: prefixes end in `/`). */
function prefixEnd(prefix: Uint8Array): Uint8Array {
  const end = Buffer.from(prefix);
  end[end.length - 1] = end[end.length - 1]! + 1;
  return end;
}

/**
 * Repairs the raft-kv metadata cache against PostgreSQL (the source of truth):
 * scans cache entries in pages and compares each with the live file_paths row
 * of its path. A wrong entry is rewritten from PostgreSQL at the zone revision
 * read before the query (a mutation committing meanwhile writes a newer
 * revision, which wins); an entry for a path PostgreSQL no longer has, or one
 * whose path cannot be recovered, is deleted (the next read fills it again).
 * Every write is a compare-and-swap against the value inspected, so a
 * concurrent write-through is never overwritten.
 */
export class CacheReconciler {
  private readonly report: ReconcileReport = {
    zones: 0,
    checked: 0,
    repaired: 0,
    removed: 0,
    repairedPaths: [],
  };
  private readonly zones = new Set<string>();

  constructor(
    private readonly kv: KvStore,
    private readonly db: DataSource,
  ) {}

  async run(scope: Scope, signal: AbortSignal): Promise<ReconcileReport> {
    const limit = scope.limit ?? Number.POSITIVE_INFINITY;
    const prefix = scope.zoneId === undefined ? new Uint8Array(0) : MetadataCache.zonePrefix(scope.zoneId);
    const end = scope.zoneId === undefined ? undefined : prefixEnd(prefix);
    let from = prefix;
    while (this.report.checked < limit) {
      signal.throwIfAborted();
      const pageSize = Math.min(PAGE, limit - this.report.checked);
      const page = await this.kv.range(METADATA_TABLE, from, end, { limit: pageSize });
      for (const [zoneId, entries] of this.byZone(page)) await this.reconcileZone(zoneId, entries);
      if (page.length < pageSize) break;
      from = successor(page[page.length - 1]!.key);
    }
    this.report.zones = this.zones.size;
    return this.report;
  }

  private byZone(page: readonly KvEntry[]): Map<string, KvEntry[]> {
    const groups = new Map<string, KvEntry[]>();
    for (const entry of page) {
      const zoneId = MetadataCache.zoneOfKey(entry.key);
      groups.set(zoneId, [...(groups.get(zoneId) ?? []), entry]);
    }
    return groups;
  }

  private async reconcileZone(zoneId: string, entries: readonly KvEntry[]): Promise<void> {
    this.report.checked += entries.length;
    if (!isUuid(zoneId)) {
      for (const entry of entries) await this.remove(entry);
      return;
    }
    this.zones.add(zoneId);
    // Read before PostgreSQL: whatever commits after our query bumps past it and its write-through wins.
    const revision = await this.kv.getRevision(zoneId);
    const checks: Array<{ raw: KvEntry; path: string; entry: CachedEntry }> = [];
    for (const raw of entries) {
      const verdict = this.judge(zoneId, raw, revision);
      if (verdict.action === 'remove') await this.remove(raw);
      else if (verdict.action === 'check') checks.push({ raw, path: verdict.path, entry: verdict.entry });
    }
    if (checks.length === 0) return;
    const rows = await FileRows.findMany(this.db.manager, zoneId, [
      ...new Set(checks.map((check) => check.path)),
    ]);
    const truth = new Map(rows.map((row) => [row.path, toFileStat(row)]));
    for (const { raw, path, entry } of checks) {
      const expected = truth.get(path) ?? null;
      if (sameStat(entry.stat, expected)) continue;
      if (expected === null) await this.remove(raw);
      else await this.rewrite(raw, zoneId, { revision: revision.toString(), path, stat: expected });
    }
  }

  /** What can be decided about an entry without PostgreSQL. */
  private judge(zoneId: string, raw: KvEntry, revision: bigint): Verdict {
    let entry: CachedEntry;
    try {
      entry = MetadataCache.decode(raw.value);
    } catch {
      return { action: 'remove' };
    }
    const path = entry.path ?? entry.stat?.path;
    // A tombstone of the old format names no path: once older than the zone revision it is just dropped.
    if (path === undefined)
      return BigInt(entry.revision) < revision ? { action: 'remove' } : { action: 'keep' };
    if (!Buffer.from(MetadataCache.key(zoneId, path)).equals(raw.key)) return { action: 'remove' };
    // Written after the revision we read: newer than the view we would compare it with.
    if (BigInt(entry.revision) > revision) return { action: 'keep' };
    return { action: 'check', path, entry };
  }

  private async remove(raw: KvEntry): Promise<void> {
    if (await this.kv.compareAndSwap(METADATA_TABLE, raw.key, raw.value, null)) this.report.removed += 1;
  }

  private async rewrite(raw: KvEntry, zoneId: string, entry: CachedEntry): Promise<void> {
    if (!(await this.kv.compareAndSwap(METADATA_TABLE, raw.key, raw.value, MetadataCache.encode(entry))))
      return;
    this.report.repaired += 1;
    if (this.report.repairedPaths.length < LISTED_PATHS)
      this.report.repairedPaths.push({ zoneId, path: entry.path! });
  }
}
