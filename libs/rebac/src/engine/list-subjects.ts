import { compareCodePoints } from '../code-point-order';
import type { Rewrite } from '../model/model.types';
import { subjectKindKey } from '../model/model.types';
import { ResultTooLargeError } from '../rebac.errors';
import type { TupleSubject } from '../tuple/tuple.types';
import { formatSubject } from '../tuple/tuple.types';
import type { EvaluationContext } from './check-runner';
import { evaluateChecks, outcomeToAllowed } from './check-runner';
import { MAX_LIST_CANDIDATES } from './list-objects';
import { nodeKey, subjectKey } from './tuple-loader';
import { TupleWorkspace } from './workspace';

/** A subject kind to list: plain objects of a type (and its wildcard) or usersets type#relation. */
export interface SubjectFilter {
  type: string;
  relation?: string;
}

export interface ListSubjectsQuery {
  objectType: string;
  objectId: string;
  relation: string;
  filters: readonly SubjectFilter[];
}

/**
 * Candidate subjects by forward expansion from object#relation through every
 * branch that can grant (subtracted branches cannot), reading each level's
 * tuples in one batch.
 */
async function forwardExpand(
  context: EvaluationContext,
  query: ListSubjectsQuery,
): Promise<Map<string, TupleSubject>> {
  const { model } = context;
  const workspace = new TupleWorkspace(context.loader, model, null, context.contextual);
  const plainTypes = new Set(query.filters.filter((f) => !f.relation).map((f) => f.type));
  const usersets = new Set(query.filters.filter((f) => f.relation).map((f) => `${f.type}#${f.relation}`));
  const candidates = new Map<string, TupleSubject>();
  const visited = new Set<string>();
  const add = (subject: TupleSubject) => {
    candidates.set(subjectKey(subject), subject);
    if (candidates.size > MAX_LIST_CANDIDATES) throw new ResultTooLargeError(MAX_LIST_CANDIDATES);
  };

  let queue: TupleSubject[] = [{ type: query.objectType, id: query.objectId, relation: query.relation }];
  while (queue.length > 0) {
    const waiting: TupleSubject[] = [];
    const stack = [...queue];
    const visit = (node: TupleSubject) => {
      if (!visited.has(nodeKey(node.type, node.id, node.relation))) stack.push(node);
    };
    /** Whether every tuple list the rewrite reads is loaded (noting the missing ones). */
    const readyFor = (node: TupleSubject, rewrite: Rewrite): boolean => {
      switch (rewrite.kind) {
        case 'this':
          return workspace.get(node.type, node.id, node.relation) !== undefined;
        case 'ttu':
          return workspace.get(node.type, node.id, rewrite.tupleset) !== undefined;
        case 'union':
        case 'intersection':
          return rewrite.children.map((child) => readyFor(node, child)).every(Boolean);
        case 'difference':
          return readyFor(node, rewrite.base);
        default:
          return true;
      }
    };
    /** Walks one rewrite whose tuples are loaded, queueing the nodes it leads to. */
    const expand = (node: TupleSubject, rewrite: Rewrite): void => {
      switch (rewrite.kind) {
        case 'this': {
          const relation = model.relation(node.type, node.relation);
          for (const tuple of workspace.get(node.type, node.id, node.relation) ?? []) {
            if (!relation?.allowed.has(subjectKindKey(tuple.type, tuple.id, tuple.relation))) continue;
            if (tuple.relation === '') {
              if (plainTypes.has(tuple.type)) add(tuple);
            } else visit(tuple);
          }
          return;
        }
        case 'computed':
          visit({ type: node.type, id: node.id, relation: rewrite.relation });
          return;
        case 'ttu': {
          const allowed = model.relation(node.type, rewrite.tupleset)?.allowed;
          for (const parent of workspace.get(node.type, node.id, rewrite.tupleset) ?? []) {
            if (parent.relation !== '' || parent.id === '*' || !allowed?.has(parent.type)) continue;
            if (model.relation(parent.type, rewrite.computed))
              visit({ type: parent.type, id: parent.id, relation: rewrite.computed });
          }
          return;
        }
        case 'union':
        case 'intersection':
          for (const child of rewrite.children) expand(node, child);
          return;
        case 'difference':
          expand(node, rewrite.base);
          return;
      }
    };
    for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
      const key = nodeKey(node.type, node.id, node.relation);
      if (visited.has(key)) continue;
      const relation = model.relation(node.type, node.relation);
      if (relation && !readyFor(node, relation.rewrite)) {
        waiting.push(node);
        continue;
      }
      visited.add(key);
      if (!relation) continue;
      if (usersets.has(`${node.type}#${node.relation}`)) add(node);
      expand(node, relation.rewrite);
    }
    queue = waiting;
    if (queue.length > 0) await workspace.fill();
  }
  return candidates;
}

/** Every subject matching the filters that holds object#relation, sorted; complete, never truncated. */
export async function listSubjects(
  context: EvaluationContext,
  query: ListSubjectsQuery,
): Promise<TupleSubject[]> {
  const candidates = [...(await forwardExpand(context, query)).values()]
    .map((subject) => ({ subject, text: formatSubject(subject) }))
    .sort((a, b) => compareCodePoints(a.text, b.text))
    .map((entry) => entry.subject);
  if (candidates.length === 0) return [];
  const { outcomes } = await evaluateChecks(
    context,
    candidates.map((subject) => ({
      objectType: query.objectType,
      objectId: query.objectId,
      relation: query.relation,
      subject,
    })),
  );
  return candidates.filter((_subject, index) => outcomeToAllowed(outcomes[index] ?? 0));
}
