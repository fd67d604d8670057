import { compareCodePoints } from '../code-point-order';
import type { TupleRow, TupleSubject } from '../tuple/tuple.types';
import { rowKey } from '../tuple/tuple.types';
import type { LoadRequest, TupleLoader } from './tuple-loader';
import { nodeKey, subjectFilter, subjectKey } from './tuple-loader';

/**
 * A TupleLoader over tuples held in memory: for unit and property tests, and for
 * evaluating a model against tuples that are not stored.
 */
export class MemoryTupleLoader implements TupleLoader {
  private readonly byObject = new Map<string, TupleRow[]>();
  private readonly bySubject = new Map<string, TupleRow[]>();
  private readonly keys = new Set<string>();
  loads = 0;
  lookups = 0;

  constructor(rows: readonly TupleRow[] = []) {
    for (const row of rows) this.add(row);
  }

  add(row: TupleRow): void {
    const key = rowKey(row);
    if (this.keys.has(key)) return;
    this.keys.add(key);
    push(this.byObject, nodeKey(row.objectType, row.objectId, row.relation), row);
    push(
      this.bySubject,
      subjectKey({ type: row.subjectType, id: row.subjectId, relation: row.subjectRelation }),
      row,
    );
  }

  async load(request: LoadRequest): Promise<Map<string, TupleSubject[]>> {
    this.loads++;
    const keep = subjectFilter(request.subjects);
    const result = new Map<string, TupleSubject[]>();
    for (const key of request.keys) {
      const id = nodeKey(key.type, key.id, key.relation);
      const all = request.model.isTupleset(key.type, key.relation);
      const subjects = (this.byObject.get(id) ?? [])
        .map((row) => ({ type: row.subjectType, id: row.subjectId, relation: row.subjectRelation }))
        .filter((subject) => all || keep(subject));
      result.set(id, subjects);
    }
    return result;
  }

  async findBySubjects(subjects: readonly TupleSubject[]): Promise<TupleRow[]> {
    this.lookups++;
    return subjects.flatMap((subject) => [...(this.bySubject.get(subjectKey(subject)) ?? [])]);
  }

  async objectIds(type: string, limit: number): Promise<string[]> {
    const ids = new Set<string>();
    for (const rows of this.byObject.values())
      for (const row of rows) if (row.objectType === type) ids.add(row.objectId);
    return [...ids].sort(compareCodePoints).slice(0, limit);
  }
}

function push(map: Map<string, TupleRow[]>, key: string, row: TupleRow): void {
  const list = map.get(key);
  if (list) list.push(row);
  else map.set(key, [row]);
}
