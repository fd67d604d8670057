import type { CompiledModel } from '../model/compiled-model';
import type { TupleRow, TupleSubject } from '../tuple/tuple.types';

/** The tuples of one object's relation: the unit the engine reads. */
export interface NodeKey {
  type: string;
  id: string;
  relation: string;
}

export function nodeKey(type: string, id: string, relation: string): string {
  return `${type}\u0000${id}\u0000${relation}`;
}

export function subjectKey(subject: TupleSubject): string {
  return `${subject.type}\u0000${subject.id}\u0000${subject.relation}`;
}

export interface LoadRequest {
  keys: readonly NodeKey[];
  /**
   * The subjects being evaluated, or null for "all". With subjects, a loader may
   * leave out plain tuples that match none of them (nor their type's wildcard),
   * except on tupleset relations; usersets are always returned.
   */
  subjects: readonly TupleSubject[] | null;
  model: CompiledModel;
}

/**
 * Batched, zone-bound access to stored tuples. Every method is one round trip,
 * whatever the number of keys.
 */
export interface TupleLoader {
  /**
   * The tuples of every requested key (an entry for each, empty when none). A
   * loader may return more keys than asked (prefetch), each of them complete.
   */
  load(request: LoadRequest): Promise<Map<string, TupleSubject[]>>;
  /** Tuples whose subject is one of `subjects` exactly (reverse lookup). */
  findBySubjects(subjects: readonly TupleSubject[]): Promise<TupleRow[]>;
  /** The first `limit` distinct ids of objects of `type` that hold any tuple, in code point order. */
  objectIds(type: string, limit: number): Promise<string[]>;
}

/** Keeps plain tuples that match one of the subjects or their wildcard; usersets always. */
export function subjectFilter(subjects: readonly TupleSubject[] | null): (row: TupleSubject) => boolean {
  if (subjects === null) return () => true;
  const exact = new Set(subjects.map(subjectKey));
  const wildcardTypes = new Set(subjects.filter((s) => s.relation === '').map((s) => s.type));
  return (row) =>
    row.relation !== '' || exact.has(subjectKey(row)) || (row.id === '*' && wildcardTypes.has(row.type));
}
