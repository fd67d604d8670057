import type { CompiledModel } from '../model/compiled-model';
import type { TupleRow, TupleSubject } from '../tuple/tuple.types';
import type { NodeKey, TupleLoader } from './tuple-loader';
import { nodeKey, subjectKey } from './tuple-loader';

/** Tuples supplied with a request: evaluated as if stored, never written. */
export class ContextualTuples {
  private readonly byKey = new Map<string, TupleSubject[]>();
  readonly rows: readonly TupleRow[];

  constructor(rows: readonly TupleRow[] = []) {
    const seen = new Set<string>();
    const unique: TupleRow[] = [];
    for (const row of rows) {
      const key = nodeKey(row.objectType, row.objectId, row.relation);
      const subject = { type: row.subjectType, id: row.subjectId, relation: row.subjectRelation };
      const full = `${key}\u0001${subjectKey(subject)}`;
      if (seen.has(full)) continue;
      seen.add(full);
      unique.push(row);
      const list = this.byKey.get(key);
      if (list) list.push(subject);
      else this.byKey.set(key, [subject]);
    }
    this.rows = unique;
  }

  get size(): number {
    return this.rows.length;
  }

  forKey(key: string): readonly TupleSubject[] {
    return this.byKey.get(key) ?? [];
  }
}

function merge(stored: readonly TupleSubject[], extra: readonly TupleSubject[]): readonly TupleSubject[] {
  if (extra.length === 0) return stored;
  const seen = new Set(stored.map(subjectKey));
  return [...stored, ...extra.filter((s) => !seen.has(subjectKey(s)))];
}

/**
 * The tuples one evaluation has read, plus the keys it still needs. Evaluation
 * runs in rounds: a pass records every missing key, fill() reads them all in one
 * round trip, and the next pass goes further.
 */
export class TupleWorkspace {
  private readonly data = new Map<string, readonly TupleSubject[]>();
  private readonly missing = new Map<string, NodeKey>();
  roundTrips = 0;

  constructor(
    private readonly loader: TupleLoader,
    private readonly model: CompiledModel,
    private readonly subjects: readonly TupleSubject[] | null,
    readonly contextual: ContextualTuples = new ContextualTuples(),
  ) {}

  /** The tuples of (type, id, relation), or undefined after noting that they must be read. */
  get(type: string, id: string, relation: string): readonly TupleSubject[] | undefined {
    const key = nodeKey(type, id, relation);
    const hit = this.data.get(key);
    if (hit !== undefined) return hit;
    if (!this.missing.has(key)) this.missing.set(key, { type, id, relation });
    return undefined;
  }

  get hasMissing(): boolean {
    return this.missing.size > 0;
  }

  async fill(): Promise<void> {
    if (this.missing.size === 0) return;
    const keys = [...this.missing.values()];
    this.missing.clear();
    this.roundTrips++;
    const loaded = await this.loader.load({ keys, subjects: this.subjects, model: this.model });
    for (const [key, subjects] of loaded) {
      if (!this.data.has(key)) this.data.set(key, merge(subjects, this.contextual.forKey(key)));
    }
    for (const key of keys) {
      const id = nodeKey(key.type, key.id, key.relation);
      if (!this.data.has(id)) this.data.set(id, this.contextual.forKey(id));
    }
  }
}
