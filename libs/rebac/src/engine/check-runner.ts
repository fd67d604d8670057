import type { CompiledModel } from '../model/compiled-model';
import { ResolutionTooComplexError } from '../rebac.errors';
import type { TupleSubject } from '../tuple/tuple.types';
import type { CheckQuery, TraceNode } from './check-evaluator';
import { CheckEvaluator, MAX_RESOLUTION_DEPTH } from './check-evaluator';
import { Outcome } from './outcome';
import type { TupleLoader } from './tuple-loader';
import { subjectKey } from './tuple-loader';
import type { ContextualTuples } from './workspace';
import { TupleWorkspace } from './workspace';

/** Safety net: rounds are bounded by the depth limit in practice. */
const MAX_ROUNDS = 4 * MAX_RESOLUTION_DEPTH;

export interface EvaluationContext {
  model: CompiledModel;
  loader: TupleLoader;
  contextual?: ContextualTuples;
}

/** Which subjects a batch evaluates: the loader reads only what concerns them. */
function distinctSubjects(queries: readonly CheckQuery[]): TupleSubject[] {
  const seen = new Map<string, TupleSubject>();
  for (const query of queries) seen.set(subjectKey(query.subject), query.subject);
  return [...seen.values()];
}

/**
 * Evaluates many checks together, round by round: each round is one pass over
 * every unfinished check and one batched read of all the tuples they still need.
 * Returns the raw outcomes (TRUE, FALSE, CYCLE or TOO_DEEP), in query order.
 */
export async function evaluateChecks(
  context: EvaluationContext,
  queries: readonly CheckQuery[],
  subjects: readonly TupleSubject[] | null = distinctSubjects(queries),
): Promise<{ outcomes: Outcome[]; roundTrips: number }> {
  const workspace = new TupleWorkspace(context.loader, context.model, subjects, context.contextual);
  const evaluator = new CheckEvaluator(context.model, workspace);
  const outcomes: Outcome[] = queries.map(() => Outcome.PENDING);
  let open = queries.map((_query, index) => index);
  for (let round = 0; open.length > 0; round++) {
    if (round > MAX_ROUNDS) throw new ResolutionTooComplexError(MAX_RESOLUTION_DEPTH);
    const stillOpen: number[] = [];
    for (const index of open) {
      const outcome = evaluator.evaluate(queries[index] as CheckQuery);
      outcomes[index] = outcome;
      if (outcome === Outcome.PENDING) stillOpen.push(index);
    }
    open = stillOpen;
    if (open.length > 0) {
      if (!workspace.hasMissing) throw new Error('evaluation is pending but needs no tuples');
      await workspace.fill();
    }
  }
  return { outcomes, roundTrips: workspace.roundTrips };
}

/** true / false for one outcome; the depth limit is an error, never false. */
export function outcomeToAllowed(outcome: Outcome): boolean {
  if (outcome === Outcome.TOO_DEEP) throw new ResolutionTooComplexError(MAX_RESOLUTION_DEPTH);
  return outcome === Outcome.TRUE;
}

/** Evaluates one check and records why: the granting path or every branch that failed. */
export async function explainCheck(
  context: EvaluationContext,
  query: CheckQuery,
): Promise<{ outcome: Outcome; trace: TraceNode }> {
  const workspace = new TupleWorkspace(context.loader, context.model, [query.subject], context.contextual);
  const evaluator = new CheckEvaluator(context.model, workspace);
  for (let round = 0; ; round++) {
    if (round > MAX_ROUNDS) throw new ResolutionTooComplexError(MAX_RESOLUTION_DEPTH);
    const sink: TraceNode[] = [];
    const outcome = evaluator.evaluate(query, sink);
    if (outcome !== Outcome.PENDING) return { outcome, trace: sink[0] as TraceNode };
    if (!workspace.hasMissing) throw new Error('evaluation is pending but needs no tuples');
    await workspace.fill();
  }
}
