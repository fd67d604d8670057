interface ZoneEntries {
  revision: bigint;
  modelVersion: number;
  entries: Map<string, boolean>;
}

export interface CheckCacheStats {
  hits: number;
  misses: number;
  zones: number;
  entries: number;
}

/**
 * Check results across requests, per zone, valid for exactly one (revision,
 * model version): when a zone moves on, its entries are dropped, so a result is
 * never served for a state it was not computed at.
 */
export class CheckCache {
  private readonly zones = new Map<string, ZoneEntries>();
  private hits = 0;
  private misses = 0;

  constructor(
    private readonly maxEntriesPerZone = 100_000,
    private readonly maxZones = 10_000,
  ) {}

  static key(
    objectType: string,
    objectId: string,
    relation: string,
    subjectType: string,
    subjectId: string,
    subjectRelation: string,
  ): string {
    return `${objectType}\u0000${objectId}\u0000${relation}\u0000${subjectType}\u0000${subjectId}\u0000${subjectRelation}`;
  }

  get(zoneId: string, revision: bigint, modelVersion: number, key: string): boolean | undefined {
    const zone = this.zones.get(zoneId);
    const value =
      zone && zone.revision === revision && zone.modelVersion === modelVersion
        ? zone.entries.get(key)
        : undefined;
    if (value === undefined) this.misses++;
    else this.hits++;
    return value;
  }

  set(zoneId: string, revision: bigint, modelVersion: number, key: string, allowed: boolean): void {
    let zone = this.zones.get(zoneId);
    if (zone) {
      // Computed at an older state than the one cached: useless, drop it.
      if (revision < zone.revision || (revision === zone.revision && modelVersion < zone.modelVersion))
        return;
      if (revision > zone.revision || modelVersion > zone.modelVersion) zone = undefined;
    }
    if (!zone) {
      if (!this.zones.has(zoneId) && this.zones.size >= this.maxZones) {
        const oldest = this.zones.keys().next().value;
        if (oldest !== undefined) this.zones.delete(oldest);
      }
      zone = { revision, modelVersion, entries: new Map() };
      this.zones.set(zoneId, zone);
    }
    if (zone.entries.size >= this.maxEntriesPerZone) zone.entries.clear();
    zone.entries.set(key, allowed);
  }

  /** Forgets a zone (after a model change) or everything. */
  clear(zoneId?: string): void {
    if (zoneId === undefined) this.zones.clear();
    else this.zones.delete(zoneId);
  }

  stats(): CheckCacheStats {
    let entries = 0;
    for (const zone of this.zones.values()) entries += zone.entries.size;
    return { hits: this.hits, misses: this.misses, zones: this.zones.size, entries };
  }
}
