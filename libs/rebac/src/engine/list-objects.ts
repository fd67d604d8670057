import { compareCodePoints } from '../code-point-order';
import type { CompiledModel } from '../model/compiled-model';
import { modelGraph } from '../model/model-graph';
import { subjectKindKey } from '../model/model.types';
import { ResultTooLargeError } from '../rebac.errors';
import type { TupleRow, TupleSubject } from '../tuple/tuple.types';
import type { EvaluationContext } from './check-runner';
import { MAX_RESOLUTION_DEPTH } from './check-evaluator';
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
 * A reverse expansion longer than this (in steps) might pass the depth limit a
 * check would hit, so its candidates are checked one by one after all.
 */
const EXACT_REACH_STEPS = MAX_RESOLUTION_DEPTH - 5;

interface Candidates {
  ids: Set<string>;
  /** The most steps any object was reached in. */
  steps: number;
}

/**
 * Candidate objects by reverse expansion from the subject: every object the
 * subject reaches through tuples, implied relations and tuplesets (an
 * over-approximation that ignores intersections and exclusions), one batched
 * lookup per level. Only lookups that can find a tuple under the model are made.
 */
async function reverseExpand(context: EvaluationContext, query: ListObjectsQuery): Promise<Candidates> {
  const { model } = context;
  const graph = modelGraph(model);
  const candidates = new Set<string>();
  const reached = new Map<string, number>();
  let maxSteps = 0;
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

  const stepsTo = (subject: TupleSubject) =>
    startKeys.has(subjectKey(subject))
      ? 0
      : (reached.get(nodeKey(subject.type, subject.id, subject.relation)) ?? 0);

  const reach = (type: string, id: string, relation: string, steps: number): void => {
    const key = nodeKey(type, id, relation);
    if (reached.has(key)) return;
    reached.set(key, steps);
    if (steps > maxSteps) maxSteps = steps;
    if (type === query.type && relation === query.relation) {
      candidates.add(id);
      if (candidates.size > MAX_LIST_CANDIDATES) throw new ResultTooLargeError(MAX_LIST_CANDIDATES);
    }
    for (const implied of graph.impliedBy(type, relation)) reach(type, id, implied, steps + 1);
    if (graph.acceptsUserset(type, relation)) {
      const asUserset = { type, id, relation };
      request(asUserset);
      const usersetRows = lookedUp.get(subjectKey(asUserset));
      if (usersetRows) for (const row of usersetRows) handle(row, asUserset, steps);
    }
    if (graph.acceptsParent(type)) {
      const asParent = { type, id, relation: '' };
      request(asParent);
      const parentRows = lookedUp.get(subjectKey(asParent));
      if (parentRows) for (const row of parentRows) handleParent(row, asParent, relation, steps);
    }
  };

  /** `row` names `subject` (a start subject or a reached userset) directly. */
  const handle = (row: TupleRow, subject: TupleSubject, steps: number) => {
    if (allows(model, row, subject)) reach(row.objectType, row.objectId, row.relation, steps + 1);
  };

  /** `row` may be a tupleset tuple pointing at `parent`, which holds `relation`. */
  const handleParent = (row: TupleRow, parent: TupleSubject, relation: string, steps: number) => {
    for (const edge of graph.throughTupleset(row.objectType, row.relation)) {
      if (edge.computed === relation && allows(model, row, parent))
        reach(row.objectType, row.objectId, edge.relation, steps + 1);
    }
  };

  if (start.relation !== '') reach(start.type, start.id, start.relation, 0);
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
      if (startKeys.has(key)) for (const row of list) handle(row, subject, 0);
      if (subject.relation !== '') {
        if (reached.has(nodeKey(subject.type, subject.id, subject.relation)))
          for (const row of list) handle(row, subject, stepsTo(subject));
      } else {
        for (const row of list) {
          for (const edge of graph.throughTupleset(row.objectType, row.relation)) {
            const parentKey = nodeKey(subject.type, subject.id, edge.computed);
            if (reached.has(parentKey) && allows(model, row, subject)) {
              reach(row.objectType, row.objectId, edge.relation, (reached.get(parentKey) ?? 0) + 1);
            }
          }
        }
      }
    }
  }
  return { ids: candidates, steps: maxSteps };
}

/**
 * Every object of `type` on which the subject has `relation`, sorted by id;
 * complete, never truncated. Candidates are checked one by one only when the
 * reverse expansion over-approximates: an intersection or exclusion below the
 * relation, or a path long enough to meet the depth limit.
 */
export async function listObjects(context: EvaluationContext, query: ListObjectsQuery): Promise<string[]> {
  const reverse = await reverseExpand(context, query);
  const candidates = [...reverse.ids].sort(compareCodePoints);
  if (candidates.length === 0) return [];
  const exact =
    reverse.steps <= EXACT_REACH_STEPS && modelGraph(context.model).unionOnly(query.type, query.relation);
  if (exact) return candidates;
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

/** How many objects the first-page probe checks per object it must return. */
const PROBE_OVERSCAN = 1.25;
/**
 * The largest first page worth a probe: a check costs about ten times what one
 * object of the complete list does, so big pages compute the list instead.
 */
export const MAX_PROBED_PAGE = 100;

/**
 * The first `size` objects of `type` on which the subject has `relation`, found
 * by checking the first objects of the type in id order together (one batch)
 * instead of computing the whole list — or null when that window held too few.
 * Exact: every object up to the last one returned was checked. Only for subjects
 * of another type (an object may hold a relation to itself without any tuple)
 * and no contextual tuples (objects named only there are not in the store).
 */
export async function listObjectsFirstPage(
  context: EvaluationContext,
  query: ListObjectsQuery,
  size: number,
): Promise<{ ids: string[]; more: boolean } | null> {
  if (size > MAX_PROBED_PAGE) return null;
  const window = Math.ceil((size + 1) * PROBE_OVERSCAN) + 8;
  const ids = await context.loader.objectIds(query.type, window);
  if (ids.length === 0) return { ids: [], more: false };
  const { outcomes } = await evaluateChecks(
    context,
    ids.map((id) => ({
      objectType: query.type,
      objectId: id,
      relation: query.relation,
      subject: query.subject,
    })),
  );
  const allowed: string[] = [];
  for (let i = 0; i < ids.length && allowed.length <= size; i++)
    if (outcomeToAllowed(outcomes[i] ?? 0)) allowed.push(ids[i] as string);
  if (allowed.length > size) return { ids: allowed.slice(0, size), more: true };
  return ids.length < window ? { ids: allowed, more: false } : null;
}
