import type { AuthorizationModel, CompiledRelation, Rewrite } from './model.types';

/**
 * A validated authorization model, indexed for evaluation. Built only by
 * compileModel(), which guarantees every reference in it resolves.
 */
export class CompiledModel {
  /** type → relation → definition */
  readonly types: ReadonlyMap<string, ReadonlyMap<string, CompiledRelation>>;
  /** `type#relation` of every relation used as the tupleset of a tuple-to-userset. */
  readonly tuplesets: ReadonlySet<string>;
  /** type → relations holding tuples (assignable ones), in definition order. */
  readonly assignableByType: ReadonlyMap<string, readonly string[]>;

  constructor(
    readonly source: AuthorizationModel,
    types: Map<string, Map<string, CompiledRelation>>,
  ) {
    this.types = types;
    const tuplesets = new Set<string>();
    const assignable = new Map<string, string[]>();
    for (const [type, relations] of types) {
      const names: string[] = [];
      for (const relation of relations.values()) {
        if (relation.assignable) names.push(relation.name);
        collectTuplesets(relation.rewrite, type, tuplesets);
      }
      assignable.set(type, names);
    }
    this.tuplesets = tuplesets;
    this.assignableByType = assignable;
  }

  hasType(type: string): boolean {
    return this.types.has(type);
  }

  relation(type: string, relation: string): CompiledRelation | undefined {
    return this.types.get(type)?.get(relation);
  }

  isTupleset(type: string, relation: string): boolean {
    return this.tuplesets.has(`${type}#${relation}`);
  }
}

function collectTuplesets(rewrite: Rewrite, type: string, into: Set<string>): void {
  switch (rewrite.kind) {
    case 'ttu':
      into.add(`${type}#${rewrite.tupleset}`);
      return;
    case 'union':
    case 'intersection':
      for (const child of rewrite.children) collectTuplesets(child, type, into);
      return;
    case 'difference':
      collectTuplesets(rewrite.base, type, into);
      collectTuplesets(rewrite.subtract, type, into);
      return;
    default:
      return;
  }
}
