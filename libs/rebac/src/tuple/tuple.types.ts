/** An object in a zone: `file:/docs/a.md` is `{ type: 'file', id: '/docs/a.md' }`. */
export interface ObjectRef {
  type: string;
  id: string;
}

/**
 * Who holds a relation: an object (`user:alice`), every object of a type (`user:*`,
 * id '*') or a userset (`group:eng#member`, with relation).
 */
export interface SubjectRef {
  type: string;
  id: string;
  relation?: string;
}

export interface RelationTuple {
  object: ObjectRef;
  relation: string;
  subject: SubjectRef;
}

/** A tuple's subject as the engine stores it: relation '' when the subject is not a userset. */
export interface TupleSubject {
  type: string;
  id: string;
  relation: string;
}

/** A tuple flattened the way the database stores it. */
export interface TupleRow {
  objectType: string;
  objectId: string;
  relation: string;
  subjectType: string;
  subjectId: string;
  subjectRelation: string;
}

export const WILDCARD = '*';

export function toRow(tuple: RelationTuple): TupleRow {
  return {
    objectType: tuple.object.type,
    objectId: tuple.object.id,
    relation: tuple.relation,
    subjectType: tuple.subject.type,
    subjectId: tuple.subject.id,
    subjectRelation: tuple.subject.relation ?? '',
  };
}

export function fromRow(row: TupleRow): RelationTuple {
  const subject: SubjectRef = { type: row.subjectType, id: row.subjectId };
  if (row.subjectRelation !== '') subject.relation = row.subjectRelation;
  return { object: { type: row.objectType, id: row.objectId }, relation: row.relation, subject };
}

export function toTupleSubject(subject: SubjectRef): TupleSubject {
  return { type: subject.type, id: subject.id, relation: subject.relation ?? '' };
}

export function fromTupleSubject(subject: TupleSubject): SubjectRef {
  return subject.relation === ''
    ? { type: subject.type, id: subject.id }
    : { type: subject.type, id: subject.id, relation: subject.relation };
}

/** `type:id` */
export function formatObject(object: ObjectRef): string {
  return `${object.type}:${object.id}`;
}

/** `type:id`, `type:*` or `type:id#relation` */
export function formatSubject(subject: SubjectRef | TupleSubject): string {
  return subject.relation
    ? `${subject.type}:${subject.id}#${subject.relation}`
    : `${subject.type}:${subject.id}`;
}

export function formatTuple(tuple: RelationTuple): string {
  return `${formatObject(tuple.object)}#${tuple.relation}@${formatSubject(tuple.subject)}`;
}

/** A stable key of a row, used for de-duplication. */
export function rowKey(row: TupleRow): string {
  return [
    row.objectType,
    row.objectId,
    row.relation,
    row.subjectType,
    row.subjectId,
    row.subjectRelation,
  ].join('\u0000');
}
