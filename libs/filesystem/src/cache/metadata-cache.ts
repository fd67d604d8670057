import { createHash } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { KvStore, jsonCodec } from '@nexus/raft-kv';
import { METADATA_TABLE } from './metadata-table';
import type { FileStat } from '../fs.types';

/** A cached answer for one path: its stat, or null when it did not exist, as of `revision`. */
export interface CachedEntry {
  revision: string;
  /** The path the entry answers for (the key only holds its hash); lets the reconciler check tombstones too. Absent in older entries. */
  path?: string;
  stat: FileStat | null;
}

const entries = jsonCodec<CachedEntry>();
/** Past this many changes a mutation writes the cache in batches without compare-and-swap (the reconciler repairs a lost race). */
const CAS_LIMIT = 16;
const BATCH = 128;

/**
 * The write-through metadata read cache in raft-kv. PostgreSQL
 * stays the source of truth. Every entry carries the zone revision it is true
 * at, and an entry only replaces an older one, so a reader filling the cache
 * after a slow query cannot overwrite a newer write. Deletions leave
 * tombstones (stat null) for the same reason.
 */
@Injectable()
export class MetadataCache {
  private readonly logger = new Logger('MetadataCache');

  constructor(private readonly kv: KvStore) {}

  static key(zoneId: string, path: string): Uint8Array {
    return Buffer.from(`${zoneId}/${createHash('sha256').update(path).digest('hex')}`);
  }

  static zonePrefix(zoneId: string): Uint8Array {
    return Buffer.from(`${zoneId}/`);
  }

  /** The zone a cache key belongs to (the text before the first `/`). */
  static zoneOfKey(key: Uint8Array): string {
    const text = Buffer.from(key).toString();
    return text.slice(0, Math.max(0, text.indexOf('/')));
  }

  static decode(value: Uint8Array): CachedEntry {
    return entries.decode(value);
  }

  static encode(entry: CachedEntry): Uint8Array {
    return entries.encode(entry);
  }

  /** The zone's current revision. */
  revision(zoneId: string): Promise<bigint> {
    return this.kv.getRevision(zoneId);
  }

  /** After a commit: the next zone revision. */
  bump(zoneId: string): Promise<bigint> {
    return this.kv.incrementRevision(zoneId);
  }

  /** The cached answer when it is at least `minRevision` fresh; undefined otherwise. */
  async lookup(zoneId: string, path: string, minRevision = 0n): Promise<CachedEntry | undefined> {
    try {
      const value = await this.kv.get(METADATA_TABLE, MetadataCache.key(zoneId, path));
      if (!value) return undefined;
      const entry = entries.decode(value);
      // Entries written before metadata and tags existed lack them.
      if (entry.stat)
        entry.stat = { ...entry.stat, metadata: entry.stat.metadata ?? {}, tags: entry.stat.tags ?? [] };
      return BigInt(entry.revision) >= minRevision ? entry : undefined;
    } catch (error) {
      this.warn('lookup', error);
      return undefined;
    }
  }

  /** Records what was read from PostgreSQL at (at least) `revision`, unless a newer entry is there. */
  async fill(zoneId: string, path: string, stat: FileStat | null, revision: bigint): Promise<void> {
    try {
      await this.putIfNewer(zoneId, path, { revision: revision.toString(), path, stat });
    } catch (error) {
      this.warn('fill', error);
    }
  }

  /** After a commit at `revision`: the changed entries (stat) and removed paths (tombstones). */
  async apply(
    zoneId: string,
    changed: readonly FileStat[],
    removed: readonly string[],
    revision: bigint,
  ): Promise<void> {
    const updates = [
      ...changed.map((stat) => ({ path: stat.path, stat })),
      ...removed.map((path) => ({ path, stat: null })),
    ];
    try {
      if (updates.length <= CAS_LIMIT) {
        for (const { path, stat } of updates)
          await this.putIfNewer(zoneId, path, { revision: revision.toString(), path, stat });
        return;
      }
      for (let i = 0; i < updates.length; i += BATCH) {
        await this.kv.batch(
          updates.slice(i, i + BATCH).map(({ path, stat }) => ({
            type: 'put' as const,
            table: METADATA_TABLE,
            key: MetadataCache.key(zoneId, path),
            value: entries.encode({ revision: revision.toString(), path, stat }),
          })),
        );
      }
    } catch (error) {
      this.warn('write-through', error);
    }
  }

  private async putIfNewer(zoneId: string, path: string, entry: CachedEntry): Promise<void> {
    const key = MetadataCache.key(zoneId, path);
    const next = entries.encode(entry);
    for (let attempt = 0; attempt < 5; attempt++) {
      const current = (await this.kv.get(METADATA_TABLE, key)) ?? null;
      if (current && BigInt(entries.decode(current).revision) >= BigInt(entry.revision)) return;
      if (await this.kv.compareAndSwap(METADATA_TABLE, key, current, next)) return;
    }
  }

  private warn(what: string, error: unknown): void {
    // The cache is an optimisation: PostgreSQL answers when it is away, and the reconciler repairs it.
    this.logger.warn(
      `metadata cache ${what} failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
