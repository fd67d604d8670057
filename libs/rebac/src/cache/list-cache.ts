interface Entry {
  revision: bigint;
  modelVersion: number;
  items: readonly unknown[];
}

/**
 * Complete list results (list-objects, list-subjects) kept for the zone state
 * they were computed at, so the pages after the first are sliced from the same
 * list instead of recomputing it. Least recently used entries go first.
 */
export class ListCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly capacity = 64) {}

  get<T>(key: string, revision: bigint, modelVersion: number): readonly T[] | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.revision !== revision || entry.modelVersion !== modelVersion) {
      this.entries.delete(key);
      return undefined;
    }
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.items as readonly T[];
  }

  set(key: string, revision: bigint, modelVersion: number, items: readonly unknown[]): void {
    this.entries.delete(key);
    this.entries.set(key, { revision, modelVersion, items });
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  clear(): void {
    this.entries.clear();
  }
}
