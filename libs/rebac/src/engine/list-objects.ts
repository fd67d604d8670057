import type { CompiledModel } from '../model/compiled-model';
import { modelGraph } from '../model/model-graph';
import { subjectKindKey } from '../model/model.types';
import { ResultTooLargeError } from '../rebac.errors';
import type { TupleRow, TupleSubject } from '../tuple/tuple.types';
import type { EvaluationContext } from './check-runner';
import { evaluateChecks, outcomeToAllowed } from './check-runner';
import { nodeKey, subjectKey } from './tuple-loader';

/** The most candidates list operations examine; beyond it they fail rather than truncate. */
export const MAX_LIST_CANDIDATES = 100_000;

interface ListObjectsQuery {
  type: string;
  relation: string;
  subject: TupleSubject;
}

/**
 * Candidate objects by reverse expansion from the subject: every object the
 * subject reaches through tuples, implied relations and tuplesets (an
 * over-approximation that ignores intersections and exclusions), one batched
 * lookup per level.
 */
async function reverseExpand(context: EvaluationContext, query: ListObjectsQuery): Promise<Set<string>> {
  const { model } = context;
  const graph = modelGraph(model);
  const candidates = new Set<string>();
  const reached = new Set<string>();
  const lookedUp = new Map<string, TupleRow[]>();
  const queued = new Map<string, TupleSubject>();
  const start = query.subject;
  const startKeys = new Set<string>([subjectKey(start)]);

  const request = (subject: TupleSubject) => {
    const key = subjectKey(subject);
    if (!lookedUp.has(key) && !queued.has(key)) queued.set(key, subject);
  };

  const allows = (model: CompiledModel, row: TupleRow, subject: TupleSubject) =>
    model
      .relation(row.objectType, row.relation)
      ?.allowed.has(subjectKindKey(subject.type, subject.id, subject.relation)) ?? false;

  const reach = (type: string, id: string, relation: string): void => {
    const key = nodeKey(type, id, relation);
    if (reached.has(key)) return;
    reached.add(key);
    if (type === query.type && relation === query.relation) {
      candidates.add(id);
      if (candidates.size > MAX_LIST_CANDIDATES) throw new ResultTooLargeError(MAX_LIST_CANDIDATES);
    }
    for (const implied of graph.impliedBy(type, relation)) reach(type, id, implied);
    const asUserset = { type, id, relation };
    const asParent = { type, id, relation: '' };
    request(asUserset);
    request(asParent);
    const usersetRows = lookedUp.get(subjectKey(asUserset));
    if (usersetRows) for (const row of usersetRows) handle(row, asUserset);
    const parentRows = lookedUp.get(subjectKey(asParent));
    if (parentRows) for (const row of parentRows) handleParent(row, asParent, relation);
  };

  /** `row` names `subject` (a start subject or a reached userset) directly. */
  const handle = (row: TupleRow, subject: TupleSubject) => {
    if (allows(model, row, subject)) reach(row.objectType, row.objectId, row.relation);
  };

  /** `row` may be a tupleset tuple pointing at `parent`, which holds `relation`. */
  const handleParent = (row: TupleRow, parent: TupleSubject, relation: string) => {
    for (const edge of graph.throughTupleset(row.objectType, row.relation)) {
      if (edge.computed === relation && allows(model, row, parent))
        reach(row.objectType, row.objectId, edge.relation);
    }
  };

  if (start.relation !== '') reach(start.type, start.id, start.relation);
  else {
    request(start);
    if (start.id !== '*') {
      const wildcard = { type: start.type, id: '*', relation: '' };
      request(wildcard);
      startKeys.add(subjectKey(wildcard));
    }
  }

  const contextual = context.contextual?.rows ?? [];
  while (queued.size > 0) {
    const subjects = [...queued.values()];
    queued.clear();
    const rows = await context.loader.findBySubjects(subjects);
    const wanted = new Set(subjects.map(subjectKey));
    for (const row of contextual) {
      const key = subjectKey({ type: row.subjectType, id: row.subjectId, relation: row.subjectRelation });
      if (wanted.has(key)) rows.push(row);
    }
    const bySubject = new Map<string, TupleRow[]>(subjects.map((s) => [subjectKey(s), []]));
    for (const row of rows) {
      bySubject
        .get(subjectKey({ type: row.subjectType, id: row.subjectId, relation: row.subjectRelation }))
        ?.push(row);
    }
    for (const [key, list] of bySubject) lookedUp.set(key, list);
    for (const subject of subjects) {
      const key = subjectKey(subject);
      const list = lookedUp.get(key) ?? [];
      if (startKeys.has(key)) for (const row of list) handle(row, subject);
      if (subject.relation !== '') {
        if (reached.has(nodeKey(subject.type, subject.id, subject.relation)))
          for (const row of list) handle(row, subject);
      } else {
        for (const row of list) {
          for (const edge of graph.throughTupleset(row.objectType, row.relation)) {
            if (
              reached.has(nodeKey(subject.type, subject.id, edge.computed)) &&
              allows(model, row, subject)
            ) {
              reach(row.objectType, row.objectId, edge.relation);
            }
          }
        }
      }
    }
  }
  return candidates;
}

/** Every object of `type` on which the subject has `relation`, sorted by id; complete, never truncated. */
export async function listObjects(context: EvaluationContext, query: ListObjectsQuery): Promise<string[]> {
  const candidates = [...(await reverseExpand(context, query))].sort();
  if (candidates.length === 0) return [];
  const { outcomes } = await evaluateChecks(
    context,
    candidates.map((id) => ({
      objectType: query.type,
      objectId: id,
      relation: query.relation,
      subject: query.subject,
    })),
  );
  return candidates.filter((_id, index) => outcomeToAllowed(outcomes[index] ?? 0));
}
