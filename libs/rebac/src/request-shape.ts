import type { CheckInput } from './engine/rebac-engine';
import { RebacValidationError } from './rebac.errors';
import {
  assertObjectRef,
  assertSubjectRef,
  assertTupleShape,
  isValidName,
  normalizeSubject,
} from './tuple/tuple-parsing';
import type { RelationTuple } from './tuple/tuple.types';

/* Shape checks of incoming requests, before any model work: callers may be plain JavaScript. */

export function assertRelation(relation: unknown): asserts relation is string {
  if (!isValidName(relation))
    throw new RebacValidationError('relation is not a valid relation name', { relation: String(relation) });
}

export function assertContextual(tuples: unknown): asserts tuples is RelationTuple[] | undefined {
  if (tuples === undefined || tuples === null) return;
  if (!Array.isArray(tuples)) throw new RebacValidationError('contextualTuples must be an array');
  for (const tuple of tuples) assertTupleShape(tuple);
}

/** A check's shape, checked and normalised (subject relation '' dropped, extra fields gone). */
export function parseCheckInput(request: CheckInput): CheckInput {
  if (typeof request !== 'object' || request === null)
    throw new RebacValidationError('a check must be an object');
  assertObjectRef(request.object);
  assertRelation(request.relation);
  assertSubjectRef(request.subject);
  assertContextual(request.contextualTuples);
  return {
    object: { type: request.object.type, id: request.object.id },
    relation: request.relation,
    subject: normalizeSubject(request.subject),
    contextualTuples: request.contextualTuples,
  };
}
