import {
  InvalidTupleError,
  RebacValidationError,
  RelationNotFoundError,
  TypeNotFoundError,
} from '../rebac.errors';
import type { ObjectRef, RelationTuple, SubjectRef } from '../tuple/tuple.types';
import { formatTuple } from '../tuple/tuple.types';
import type { CompiledModel } from './compiled-model';
import { subjectKindKey } from './model.types';

/**
 * Why a tuple does not fit the model, or null when it does. A tuple fits when its
 * object type and relation exist, the relation is assignable and the subject's
 * kind (type, type:* or type#relation) is one it allows.
 */
export function tupleProblem(model: CompiledModel, tuple: RelationTuple): string | null {
  if (!model.hasType(tuple.object.type)) return `type '${tuple.object.type}' is not defined`;
  const relation = model.relation(tuple.object.type, tuple.relation);
  if (!relation) return `relation '${tuple.object.type}#${tuple.relation}' is not defined`;
  if (!relation.assignable)
    return `relation '${tuple.object.type}#${tuple.relation}' is not directly assignable`;
  const subject = tuple.subject;
  if (!model.hasType(subject.type)) return `subject type '${subject.type}' is not defined`;
  if (subject.relation && !model.relation(subject.type, subject.relation)) {
    return `subject relation '${subject.type}#${subject.relation}' is not defined`;
  }
  const kind = subjectKindKey(subject.type, subject.id, subject.relation ?? '');
  if (!relation.allowed.has(kind)) {
    return `'${tuple.object.type}#${tuple.relation}' does not allow subjects of kind '${kind}'`;
  }
  return null;
}

/** Tuples to write, and contextual tuples, must fit the model (INVALID_TUPLE otherwise). */
export function assertTupleFits(model: CompiledModel, tuple: RelationTuple, what = 'tuple'): void {
  const problem = tupleProblem(model, tuple);
  if (problem !== null)
    throw new InvalidTupleError(`invalid ${what} ${formatTuple(tuple)}: ${problem}`, {
      tuple: formatTuple(tuple),
      reason: problem,
    });
}

function assertSubjectKnown(model: CompiledModel, subject: SubjectRef): void {
  if (!model.hasType(subject.type)) {
    throw new RebacValidationError(
      `subject type '${subject.type}' is not defined in the authorization model`,
      {
        reason: 'TYPE_NOT_FOUND',
        type: subject.type,
      },
    );
  }
  if (subject.relation && !model.relation(subject.type, subject.relation)) {
    throw new RebacValidationError(`subject relation '${subject.type}#${subject.relation}' is not defined`, {
      reason: 'RELATION_NOT_FOUND',
      type: subject.type,
      relation: subject.relation,
    });
  }
}

/** A check/expand/explain request: any problem with its tuple is a VALIDATION_FAILED (OpenFGA 2000). */
export function assertCheckRequest(
  model: CompiledModel,
  object: ObjectRef,
  relation: string,
  subject?: SubjectRef,
): void {
  if (!model.hasType(object.type)) {
    throw new RebacValidationError(`type '${object.type}' is not defined in the authorization model`, {
      reason: 'TYPE_NOT_FOUND',
      type: object.type,
    });
  }
  if (!model.relation(object.type, relation)) {
    throw new RebacValidationError(
      `relation '${object.type}#${relation}' is not defined in the authorization model`,
      {
        reason: 'RELATION_NOT_FOUND',
        type: object.type,
        relation,
      },
    );
  }
  if (subject) assertSubjectKnown(model, subject);
}

/** list-objects: an unknown type or relation is named as such; a bad subject is a validation error. */
export function assertListObjectsRequest(
  model: CompiledModel,
  type: string,
  relation: string,
  subject: SubjectRef,
): void {
  if (!model.hasType(type)) throw new TypeNotFoundError(type);
  if (!model.relation(type, relation)) throw new RelationNotFoundError(type, relation);
  assertSubjectKnown(model, subject);
}

/** list-subjects: unknown types and relations (of the object or of a filter) are named as such. */
export function assertListSubjectsRequest(
  model: CompiledModel,
  object: ObjectRef,
  relation: string,
  filters: readonly { type: string; relation?: string }[],
): void {
  if (!model.hasType(object.type)) throw new TypeNotFoundError(object.type);
  if (!model.relation(object.type, relation)) throw new RelationNotFoundError(object.type, relation);
  if (filters.length === 0) throw new RebacValidationError('at least one subject filter is required');
  for (const filter of filters) {
    if (!model.hasType(filter.type)) throw new TypeNotFoundError(filter.type);
    if (filter.relation && !model.relation(filter.type, filter.relation)) {
      throw new RelationNotFoundError(filter.type, filter.relation);
    }
  }
}
