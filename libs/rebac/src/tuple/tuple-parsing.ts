import { RebacValidationError } from '../rebac.errors';
import type { ObjectRef, RelationTuple, SubjectRef } from './tuple.types';
import { WILDCARD } from './tuple.types';

/** Type and relation names: no separators, no whitespace, no wildcard. */
export const NAME_PATTERN = /^[^:#@\s*]{1,128}$/;
/** Longest object or subject id, in UTF-8 bytes (the unique index must hold the whole key). */
export const MAX_ID_BYTES = 1024;
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

function fail(message: string, value: unknown): never {
  throw new RebacValidationError(message, {
    value: typeof value === 'string' ? value : (JSON.stringify(value) ?? null),
  });
}

export function isValidName(value: unknown): value is string {
  return typeof value === 'string' && NAME_PATTERN.test(value);
}

function assertId(id: unknown, what: string): asserts id is string {
  if (typeof id !== 'string' || id.length === 0) fail(`${what} id must be a non-empty string`, id);
  if (Buffer.byteLength(id, 'utf8') > MAX_ID_BYTES)
    fail(`${what} id is longer than ${MAX_ID_BYTES} bytes`, id);
  if (CONTROL_CHARACTERS.test(id)) fail(`${what} id contains control characters`, id);
}

/** Checks the shape of a structured object reference (not its type against a model). */
export function assertObjectRef(value: unknown, what = 'object'): asserts value is ObjectRef {
  if (typeof value !== 'object' || value === null) fail(`${what} must be an object {type, id}`, value);
  const { type, id } = value as { type?: unknown; id?: unknown };
  if (!isValidName(type)) fail(`${what} type is not a valid type name`, type);
  assertId(id, what);
  if (id === WILDCARD) fail(`${what} id cannot be the wildcard '*'`, id);
}

/** Checks the shape of a structured subject: an object, `type:*`, or a userset `type:id#relation`. */
export function assertSubjectRef(value: unknown, what = 'subject'): asserts value is SubjectRef {
  if (typeof value !== 'object' || value === null)
    fail(`${what} must be an object {type, id, relation?}`, value);
  const { type, id, relation } = value as { type?: unknown; id?: unknown; relation?: unknown };
  if (!isValidName(type)) fail(`${what} type is not a valid type name`, type);
  assertId(id, what);
  if (relation !== undefined && relation !== null && relation !== '') {
    if (!isValidName(relation)) fail(`${what} relation is not a valid relation name`, relation);
    if (id === WILDCARD) fail(`${what} cannot be a wildcard with a relation`, value);
  }
}

/** Copies a subject, dropping an empty relation. */
export function normalizeSubject(subject: SubjectRef): SubjectRef {
  return subject.relation
    ? { type: subject.type, id: subject.id, relation: subject.relation }
    : { type: subject.type, id: subject.id };
}

export function assertTupleShape(value: unknown): asserts value is RelationTuple {
  if (typeof value !== 'object' || value === null)
    fail('tuple must be an object {object, relation, subject}', value);
  const tuple = value as { object?: unknown; relation?: unknown; subject?: unknown };
  assertObjectRef(tuple.object);
  if (!isValidName(tuple.relation)) fail('relation is not a valid relation name', tuple.relation);
  assertSubjectRef(tuple.subject);
}

// OpenFGA's string forms. Ids in this form cannot hold ':', '#' or whitespace; the
// structured form has no such limit (file paths may contain them).
const OBJECT_STRING = /^([^\s:#@*]+):([^\s:#]+)$/;
const SUBJECT_STRING = /^([^\s:#@*]+):([^\s:#]+)(?:#([^\s:#@*]+))?$/;

/** Parses `type:id`. */
export function parseObject(text: string): ObjectRef {
  const match = OBJECT_STRING.exec(text);
  if (!match || match[2] === WILDCARD) fail(`'${text}' is not an object of the form type:id`, text);
  const object = { type: match[1] ?? '', id: match[2] ?? '' };
  assertObjectRef(object);
  return object;
}

/** Parses `type:id`, `type:*` or `type:id#relation`. */
export function parseSubject(text: string): SubjectRef {
  const match = SUBJECT_STRING.exec(text);
  if (!match) fail(`'${text}' is not a subject of the form type:id, type:* or type:id#relation`, text);
  const subject: SubjectRef = { type: match[1] ?? '', id: match[2] ?? '' };
  if (match[3] !== undefined) subject.relation = match[3];
  assertSubjectRef(subject);
  return subject;
}

/** Parses OpenFGA's `{object, relation, user}` tuple key. */
export function parseTupleKey(key: { object: string; relation: string; user: string }): RelationTuple {
  const object = parseObject(key.object);
  if (!isValidName(key.relation)) fail('relation is not a valid relation name', key.relation);
  return { object, relation: key.relation, subject: parseSubject(key.user) };
}
