import type { CompiledModel } from '../model/compiled-model';
import {
  assertCheckRequest,
  assertListObjectsRequest,
  assertListSubjectsRequest,
  assertTupleFits,
} from '../model/request-validation';
import { TooManyItemsError } from '../rebac.errors';
import type { ObjectRef, RelationTuple, SubjectRef, TupleSubject } from '../tuple/tuple.types';
import { fromTupleSubject, toRow, toTupleSubject } from '../tuple/tuple.types';
import type { TraceNode } from './check-evaluator';
import type { EvaluationContext } from './check-runner';
import { evaluateChecks, explainCheck, outcomeToAllowed } from './check-runner';
import type { ExpandNode } from './expand';
import { expandTree } from './expand';
import { listObjects, listObjectsFirstPage } from './list-objects';
import type { SubjectFilter } from './list-subjects';
import { listSubjects } from './list-subjects';
import { Outcome } from './outcome';
import type { TupleLoader } from './tuple-loader';
import { ContextualTuples } from './workspace';

export const MAX_CONTEXTUAL_TUPLES = 100;

export interface CheckInput {
  object: ObjectRef;
  relation: string;
  subject: SubjectRef;
  contextualTuples?: readonly RelationTuple[];
}

export interface ListObjectsInput {
  type: string;
  relation: string;
  subject: SubjectRef;
  contextualTuples?: readonly RelationTuple[];
}

export interface ListSubjectsInput {
  object: ObjectRef;
  relation: string;
  filters: readonly SubjectFilter[];
  contextualTuples?: readonly RelationTuple[];
}

export interface Explanation {
  allowed: boolean;
  /** allowed: the path that grants, denied: every branch and why it failed. */
  reason: 'granted' | 'no_path' | 'cycle';
  trace: TraceNode;
}

/** Keeps only the branches that grant, so an allowed trace reads as one path. */
export function grantingPath(node: TraceNode): TraceNode {
  if (node.result !== 'allowed') return node;
  const granting = node.children.filter((child) => child.result === 'allowed');
  const children =
    node.step === 'intersection' || node.step === 'difference' ? node.children : granting.slice(0, 1);
  return { ...node, children: children.map(grantingPath) };
}

/**
 * Permission evaluation over one authorization model and one zone's tuples (the
 * loader is zone-bound). Validates requests against the model; knows nothing of
 * storage, caching or consistency.
 */
export class RebacEngine {
  constructor(
    readonly model: CompiledModel,
    private readonly loader: TupleLoader,
  ) {}

  private context(contextualTuples: readonly RelationTuple[] | undefined): EvaluationContext {
    const tuples = contextualTuples ?? [];
    if (tuples.length > MAX_CONTEXTUAL_TUPLES)
      throw new TooManyItemsError('contextual tuples', MAX_CONTEXTUAL_TUPLES, tuples.length);
    for (const tuple of tuples) assertTupleFits(this.model, tuple, 'contextual tuple');
    return { model: this.model, loader: this.loader, contextual: new ContextualTuples(tuples.map(toRow)) };
  }

  /** Throws what check() would throw for an invalid request, without evaluating. */
  validateCheck(input: CheckInput): void {
    assertCheckRequest(this.model, input.object, input.relation, input.subject);
    this.context(input.contextualTuples);
  }

  async check(input: CheckInput): Promise<boolean> {
    const [result] = await this.checkMany([input]);
    return outcomeToAllowed(result ?? Outcome.FALSE);
  }

  /** Raw outcomes of many checks sharing contextual tuples (validated first). */
  async checkMany(
    inputs: readonly CheckInput[],
    contextualTuples?: readonly RelationTuple[],
  ): Promise<Outcome[]> {
    for (const input of inputs) assertCheckRequest(this.model, input.object, input.relation, input.subject);
    const context = this.context(contextualTuples ?? inputs[0]?.contextualTuples);
    const { outcomes } = await evaluateChecks(
      context,
      inputs.map((input) => ({
        objectType: input.object.type,
        objectId: input.object.id,
        relation: input.relation,
        subject: toTupleSubject(input.subject),
      })),
    );
    return outcomes;
  }

  async listObjects(input: ListObjectsInput): Promise<string[]> {
    assertListObjectsRequest(this.model, input.type, input.relation, input.subject);
    const context = this.context(input.contextualTuples);
    return listObjects(context, {
      type: input.type,
      relation: input.relation,
      subject: toTupleSubject(input.subject),
    });
  }

  /**
   * The first page of listObjects() when a probe of the first objects of the
   * type finds it (see listObjectsFirstPage), else null. Never for contextual
   * tuples or a subject of the listed type.
   */
  async listObjectsFirstPage(
    input: ListObjectsInput,
    size: number,
  ): Promise<{ ids: string[]; more: boolean } | null> {
    assertListObjectsRequest(this.model, input.type, input.relation, input.subject);
    if (input.contextualTuples?.length || input.subject.type === input.type) return null;
    return listObjectsFirstPage(
      this.context(undefined),
      {
        type: input.type,
        relation: input.relation,
        subject: toTupleSubject(input.subject),
      },
      size,
    );
  }

  async listSubjects(input: ListSubjectsInput): Promise<SubjectRef[]> {
    assertListSubjectsRequest(this.model, input.object, input.relation, input.filters);
    const context = this.context(input.contextualTuples);
    const subjects: TupleSubject[] = await listSubjects(context, {
      objectType: input.object.type,
      objectId: input.object.id,
      relation: input.relation,
      filters: input.filters,
    });
    return subjects.map(fromTupleSubject);
  }

  async expand(
    object: ObjectRef,
    relation: string,
    contextualTuples?: readonly RelationTuple[],
  ): Promise<ExpandNode> {
    assertCheckRequest(this.model, object, relation);
    return expandTree(this.context(contextualTuples), object.type, object.id, relation);
  }

  async explain(input: CheckInput): Promise<Explanation> {
    assertCheckRequest(this.model, input.object, input.relation, input.subject);
    const { outcome, trace } = await explainCheck(this.context(input.contextualTuples), {
      objectType: input.object.type,
      objectId: input.object.id,
      relation: input.relation,
      subject: toTupleSubject(input.subject),
    });
    const allowed = outcomeToAllowed(outcome);
    return {
      allowed,
      reason: allowed ? 'granted' : outcome === Outcome.CYCLE ? 'cycle' : 'no_path',
      trace: allowed ? grantingPath(trace) : trace,
    };
  }
}
