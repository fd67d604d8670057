import { randomUUID } from 'node:crypto';
import type { RelationTuple, SubjectRef } from '../src/tuple/tuple.types';

export const file = (id: string) => ({ type: 'file', id });
export const user = (id: string): SubjectRef => ({ type: 'user', id });
export const group = (id: string): SubjectRef => ({ type: 'group', id, relation: 'member' });

export function grant(
  object: { type: string; id: string },
  relation: string,
  subject: SubjectRef,
): RelationTuple {
  return { object, relation, subject };
}

/** Parent tuples for a path and all its ancestors: /a/b/c → /a/b → /a → /. */
export function ancestry(path: string): RelationTuple[] {
  const tuples: RelationTuple[] = [];
  let current = path;
  while (current !== '/') {
    const parent = current.slice(0, current.lastIndexOf('/')) || '/';
    tuples.push(grant(file(current), 'parent', { type: 'file', id: parent }));
    current = parent;
  }
  return tuples;
}

export const newZone = () => randomUUID();
