import type { CompiledModel } from '../model/compiled-model';
import type { CompiledRelation, Rewrite } from '../model/model.types';
import { subjectKindKey } from '../model/model.types';
import { ResultTooLargeError } from '../rebac.errors';
import type { TupleSubject } from '../tuple/tuple.types';
import { formatSubject } from '../tuple/tuple.types';
import { Outcome, and, butNot, isDefinite, or } from './outcome';
import { nodeKey, subjectKey } from './tuple-loader';
import type { TupleWorkspace } from './workspace';

/** Nested resolutions allowed below the requested relation (OpenFGA's default). */
export const MAX_RESOLUTION_DEPTH = 25;
/** Most relation nodes one traced (explained) evaluation visits; tracing does not memoise. */
export const MAX_TRACED_NODES = 50_000;

const { FALSE, TRUE, CYCLE, TOO_DEEP, PENDING } = Outcome;

export type TraceResult = 'allowed' | 'denied' | 'cycle' | 'depth_exceeded' | 'pending';

/** One step of an explanation: a relation of an object, a rewrite operator, or a tuple. */
export interface TraceNode {
  step:
    | 'relation'
    | 'direct'
    | 'tuple'
    | 'computed'
    | 'tuple_to_userset'
    | 'union'
    | 'intersection'
    | 'difference';
  object?: string;
  relation?: string;
  tuple?: string;
  result: TraceResult;
  children: TraceNode[];
}

export interface CheckQuery {
  objectType: string;
  objectId: string;
  relation: string;
  subject: TupleSubject;
}

export function traceResult(outcome: Outcome): TraceResult {
  switch (outcome) {
    case TRUE:
      return 'allowed';
    case FALSE:
      return 'denied';
    case CYCLE:
      return 'cycle';
    case TOO_DEEP:
      return 'depth_exceeded';
    default:
      return 'pending';
  }
}

type Sink = TraceNode[] | null;

function record(
  sink: Sink,
  node: Omit<TraceNode, 'result' | 'children'>,
  children: TraceNode[] | null,
  outcome: Outcome,
) {
  if (sink) sink.push({ ...node, result: traceResult(outcome), children: children ?? [] });
}

/**
 * One synchronous pass of check evaluation over the tuples a workspace holds.
 * Answers PENDING when it needs tuples not read yet (noted in the workspace);
 * definite answers are memoised for the evaluator's lifetime (one request).
 */
export class CheckEvaluator {
  private readonly memo = new Map<string, Outcome>();
  private readonly path = new Set<string>();
  private subject: TupleSubject = { type: '', id: '', relation: '' };
  private subjectId = '';
  private traced = 0;

  constructor(
    private readonly model: CompiledModel,
    private readonly workspace: TupleWorkspace,
    private readonly maxDepth = MAX_RESOLUTION_DEPTH,
  ) {}

  evaluate(query: CheckQuery, trace: Sink = null): Outcome {
    this.subject = query.subject;
    this.subjectId = subjectKey(query.subject);
    this.path.clear();
    this.traced = 0;
    return this.node(query.objectType, query.objectId, query.relation, 0, trace);
  }

  private node(type: string, id: string, name: string, depth: number, sink: Sink): Outcome {
    const s = this.subject;
    const label = sink ? { step: 'relation' as const, object: `${type}:${id}`, relation: name } : null;
    if (sink && ++this.traced > MAX_TRACED_NODES) throw new ResultTooLargeError(MAX_TRACED_NODES);
    if (s.relation === name && s.id === id && s.type === type) {
      if (label) record(sink, label, null, TRUE);
      return TRUE;
    }
    const key = nodeKey(type, id, name);
    const memoKey = `${key}\u0001${this.subjectId}`;
    const known = sink ? undefined : this.memo.get(memoKey);
    if (known !== undefined) return known;
    let outcome: Outcome;
    const children: TraceNode[] | null = sink ? [] : null;
    const relation = this.model.relation(type, name);
    if (depth > this.maxDepth) outcome = TOO_DEEP;
    else if (this.path.has(key)) outcome = CYCLE;
    else if (!relation) outcome = FALSE;
    else {
      this.path.add(key);
      outcome = this.rewrite(relation, relation.rewrite, type, id, depth, children);
      this.path.delete(key);
      if (!sink && isDefinite(outcome)) this.memo.set(memoKey, outcome);
    }
    if (label) record(sink, label, children, outcome);
    return outcome;
  }

  private rewrite(
    relation: CompiledRelation,
    rewrite: Rewrite,
    type: string,
    id: string,
    depth: number,
    sink: Sink,
  ): Outcome {
    switch (rewrite.kind) {
      case 'this':
        return this.direct(relation, type, id, depth, sink);
      case 'computed': {
        const children = sink ? [] : null;
        const outcome = this.node(type, id, rewrite.relation, depth + 1, children);
        record(sink, { step: 'computed', relation: rewrite.relation }, children, outcome);
        return outcome;
      }
      case 'ttu':
        return this.tupleToUserset(rewrite.tupleset, rewrite.computed, type, id, depth, sink);
      case 'union': {
        const children = sink ? [] : null;
        let outcome: Outcome = FALSE;
        for (const child of rewrite.children) {
          outcome = or(outcome, this.rewrite(relation, child, type, id, depth, children));
          if (outcome === TRUE) break;
        }
        record(sink, { step: 'union' }, children, outcome);
        return outcome;
      }
      case 'intersection': {
        const children = sink ? [] : null;
        let outcome: Outcome = TRUE;
        for (const child of rewrite.children) {
          outcome = and(outcome, this.rewrite(relation, child, type, id, depth, children));
          if (outcome === FALSE) break;
        }
        record(sink, { step: 'intersection' }, children, outcome);
        return outcome;
      }
      case 'difference': {
        const children = sink ? [] : null;
        const base = this.rewrite(relation, rewrite.base, type, id, depth, children);
        const outcome =
          base === FALSE
            ? FALSE
            : butNot(base, this.rewrite(relation, rewrite.subtract, type, id, depth, children));
        record(sink, { step: 'difference' }, children, outcome);
        return outcome;
      }
    }
  }

  /** Tuples of the relation itself: the subject, its type's wildcard, or a userset holding it. */
  private direct(relation: CompiledRelation, type: string, id: string, depth: number, sink: Sink): Outcome {
    const tuples = this.workspace.get(type, id, relation.name);
    if (tuples === undefined) {
      record(sink, { step: 'direct', object: `${type}:${id}`, relation: relation.name }, null, PENDING);
      return PENDING;
    }
    const s = this.subject;
    const children = sink ? [] : null;
    let outcome: Outcome = FALSE;
    for (const tuple of tuples) {
      if (!relation.allowed.has(subjectKindKey(tuple.type, tuple.id, tuple.relation))) continue;
      let step: Outcome;
      if (
        tuple.type === s.type &&
        tuple.relation === s.relation &&
        (tuple.id === s.id || (tuple.id === '*' && s.relation === ''))
      ) {
        step = TRUE;
        record(children, { step: 'tuple', tuple: formatSubject(tuple) }, null, TRUE);
      } else if (tuple.relation !== '') {
        const nested = children ? [] : null;
        step = this.node(tuple.type, tuple.id, tuple.relation, depth + 1, nested);
        record(children, { step: 'tuple', tuple: formatSubject(tuple) }, nested, step);
      } else continue;
      outcome = or(outcome, step);
      if (outcome === TRUE) break;
    }
    record(sink, { step: 'direct', object: `${type}:${id}`, relation: relation.name }, children, outcome);
    return outcome;
  }

  /** `computed from tupleset`: the computed relation on every object the tupleset points at. */
  private tupleToUserset(
    tupleset: string,
    computed: string,
    type: string,
    id: string,
    depth: number,
    sink: Sink,
  ): Outcome {
    const label = {
      step: 'tuple_to_userset' as const,
      object: `${type}:${id}`,
      relation: `${computed} from ${tupleset}`,
    };
    const tuples = this.workspace.get(type, id, tupleset);
    if (tuples === undefined) {
      record(sink, label, null, PENDING);
      return PENDING;
    }
    const allowed = this.model.relation(type, tupleset)?.allowed;
    const children = sink ? [] : null;
    let outcome: Outcome = FALSE;
    for (const parent of tuples) {
      if (parent.relation !== '' || parent.id === '*' || !allowed?.has(parent.type)) continue;
      if (!this.model.relation(parent.type, computed)) continue;
      outcome = or(outcome, this.node(parent.type, parent.id, computed, depth + 1, children));
      if (outcome === TRUE) break;
    }
    record(sink, label, children, outcome);
    return outcome;
  }
}
