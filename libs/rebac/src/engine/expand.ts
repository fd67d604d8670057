import type { CompiledModel } from '../model/compiled-model';
import type { Rewrite } from '../model/model.types';
import { subjectKindKey } from '../model/model.types';
import { ResultTooLargeError } from '../rebac.errors';
import type { SubjectRef, TupleSubject } from '../tuple/tuple.types';
import { fromTupleSubject } from '../tuple/tuple.types';
import { MAX_RESOLUTION_DEPTH } from './check-evaluator';
import type { EvaluationContext } from './check-runner';
import { Outcome, and, butNot, or } from './outcome';
import { nodeKey } from './tuple-loader';
import { TupleWorkspace } from './workspace';

/** The userset tree of object#relation, expanded down to plain subjects. */
export interface ExpandNode {
  object: { type: string; id: string };
  relation: string;
  /** `cycle`: this node is already being expanded above; `depth_exceeded`: past the depth limit. */
  tree: ExpandTree;
}

export type ExpandTree =
  | { kind: 'direct'; subjects: SubjectRef[]; usersets: ExpandNode[] }
  | { kind: 'computed'; node: ExpandNode }
  | { kind: 'tuple_to_userset'; tupleset: string; nodes: ExpandNode[] }
  | { kind: 'union' | 'intersection'; children: ExpandTree[] }
  | { kind: 'difference'; base: ExpandTree; subtract: ExpandTree }
  | { kind: 'cycle' }
  | { kind: 'depth_exceeded' };

class PendingError extends Error {}

/** Most nodes one expanded tree may hold (shared subtrees are expanded again each time). */
export const MAX_EXPAND_NODES = 50_000;

class TreeBuilder {
  private readonly path = new Set<string>();
  private nodes = 0;

  constructor(
    private readonly model: CompiledModel,
    private readonly workspace: TupleWorkspace,
  ) {}

  node(type: string, id: string, relation: string, depth: number): ExpandNode {
    if (++this.nodes > MAX_EXPAND_NODES) throw new ResultTooLargeError(MAX_EXPAND_NODES);
    const key = nodeKey(type, id, relation);
    const head = { object: { type, id }, relation };
    if (depth > MAX_RESOLUTION_DEPTH) return { ...head, tree: { kind: 'depth_exceeded' } };
    if (this.path.has(key)) return { ...head, tree: { kind: 'cycle' } };
    const definition = this.model.relation(type, relation);
    if (!definition) return { ...head, tree: { kind: 'union', children: [] } };
    this.path.add(key);
    try {
      return { ...head, tree: this.rewrite(type, id, relation, definition.rewrite, depth) };
    } finally {
      this.path.delete(key);
    }
  }

  private tuples(type: string, id: string, relation: string): readonly TupleSubject[] {
    const tuples = this.workspace.get(type, id, relation);
    if (tuples === undefined) throw new PendingError();
    return tuples;
  }

  private rewrite(type: string, id: string, relation: string, rewrite: Rewrite, depth: number): ExpandTree {
    switch (rewrite.kind) {
      case 'this': {
        const allowed = this.model.relation(type, relation)?.allowed;
        const subjects: SubjectRef[] = [];
        const usersets: ExpandNode[] = [];
        for (const tuple of this.tuples(type, id, relation)) {
          if (!allowed?.has(subjectKindKey(tuple.type, tuple.id, tuple.relation))) continue;
          if (tuple.relation === '') subjects.push(fromTupleSubject(tuple));
          else usersets.push(this.node(tuple.type, tuple.id, tuple.relation, depth + 1));
        }
        return { kind: 'direct', subjects, usersets };
      }
      case 'computed':
        return { kind: 'computed', node: this.node(type, id, rewrite.relation, depth + 1) };
      case 'ttu': {
        const allowed = this.model.relation(type, rewrite.tupleset)?.allowed;
        const nodes: ExpandNode[] = [];
        for (const parent of this.tuples(type, id, rewrite.tupleset)) {
          if (parent.relation !== '' || parent.id === '*' || !allowed?.has(parent.type)) continue;
          if (this.model.relation(parent.type, rewrite.computed)) {
            nodes.push(this.node(parent.type, parent.id, rewrite.computed, depth + 1));
          }
        }
        return { kind: 'tuple_to_userset', tupleset: rewrite.tupleset, nodes };
      }
      case 'union':
      case 'intersection':
        return {
          kind: rewrite.kind,
          children: rewrite.children.map((child) => this.rewrite(type, id, relation, child, depth)),
        };
      case 'difference':
        return {
          kind: 'difference',
          base: this.rewrite(type, id, relation, rewrite.base, depth),
          subtract: this.rewrite(type, id, relation, rewrite.subtract, depth),
        };
    }
  }
}

/** Expands object#relation fully (every branch, usersets recursively), reading tuples level by level. */
export async function expandTree(
  context: EvaluationContext,
  type: string,
  id: string,
  relation: string,
): Promise<ExpandNode> {
  const workspace = new TupleWorkspace(context.loader, context.model, null, context.contextual);
  for (let round = 0; ; round++) {
    try {
      return new TreeBuilder(context.model, workspace).node(type, id, relation, 0);
    } catch (error) {
      if (!(error instanceof PendingError) || round > 4 * MAX_RESOLUTION_DEPTH) throw error;
    }
    await workspace.fill();
  }
}

/** Whether a subject is in an expanded tree (the same Kleene logic as check): for tests and tools. */
export function treeContains(node: ExpandNode, subject: TupleSubject): Outcome {
  if (
    subject.relation !== '' &&
    subject.type === node.object.type &&
    subject.id === node.object.id &&
    subject.relation === node.relation
  ) {
    return Outcome.TRUE;
  }
  return subtreeContains(node.tree, subject);
}

function subtreeContains(tree: ExpandTree, subject: TupleSubject): Outcome {
  switch (tree.kind) {
    case 'direct': {
      let outcome: Outcome = Outcome.FALSE;
      for (const s of tree.subjects) {
        if (s.type === subject.type && subject.relation === '' && (s.id === subject.id || s.id === '*'))
          return Outcome.TRUE;
      }
      for (const node of tree.usersets) {
        const same =
          node.object.type === subject.type &&
          node.object.id === subject.id &&
          node.relation === subject.relation;
        outcome = or(outcome, same ? Outcome.TRUE : treeContains(node, subject));
      }
      return outcome;
    }
    case 'computed':
      return treeContains(tree.node, subject);
    case 'tuple_to_userset':
      return tree.nodes.reduce<Outcome>((acc, node) => or(acc, treeContains(node, subject)), Outcome.FALSE);
    case 'union':
      return tree.children.reduce<Outcome>(
        (acc, child) => or(acc, subtreeContains(child, subject)),
        Outcome.FALSE,
      );
    case 'intersection':
      return tree.children.reduce<Outcome>(
        (acc, child) => and(acc, subtreeContains(child, subject)),
        Outcome.TRUE,
      );
    case 'difference':
      return butNot(subtreeContains(tree.base, subject), subtreeContains(tree.subtract, subject));
    case 'cycle':
      return Outcome.CYCLE;
    case 'depth_exceeded':
      return Outcome.TOO_DEEP;
  }
}
