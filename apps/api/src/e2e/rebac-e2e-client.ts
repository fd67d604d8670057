import type { Body } from './support/api-under-test';

/** REST-shape helpers for the rebac e2e tests (the API itself: ./support/api-under-test). */

/** A tuple in the REST shape. */
export function tuple(object: string, relation: string, subject: string): Body {
  const [objectType, ...objectId] = object.split(':');
  const [subjectPart, subjectRelation] = subject.split('#');
  const [subjectType, ...subjectId] = (subjectPart ?? '').split(':');
  return {
    object: { type: objectType, id: objectId.join(':') },
    relation,
    subject: {
      type: subjectType,
      id: subjectId.join(':'),
      ...(subjectRelation === undefined ? {} : { relation: subjectRelation }),
    },
  };
}
