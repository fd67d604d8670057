import type { CompiledModel } from './compiled-model';
import type { Rewrite } from './model.types';

/**
 * The reverse edges of a model, used to find candidate objects for list-objects:
 * which relations a relation implies on the same object (computed usersets) and
 * through which tuplesets it reaches parents. Subtracted branches never grant, so
 * they are left out.
 */
export class ModelGraph {
  /** `type#relation` → relations of the same type that it implies */
  private readonly computedParents = new Map<string, string[]>();
  /** `type#tupleset` → [{ computed relation on the parent, implied relation on type }] */
  private readonly ttuParents = new Map<string, { computed: string; relation: string }[]>();

  constructor(model: CompiledModel) {
    for (const [type, relations] of model.types) {
      for (const relation of relations.values()) this.walk(type, relation.name, relation.rewrite);
    }
  }

  private walk(type: string, relation: string, rewrite: Rewrite): void {
    switch (rewrite.kind) {
      case 'computed':
        push(this.computedParents, `${type}#${rewrite.relation}`, relation);
        return;
      case 'ttu':
        push(this.ttuParents, `${type}#${rewrite.tupleset}`, { computed: rewrite.computed, relation });
        return;
      case 'union':
      case 'intersection':
        for (const child of rewrite.children) this.walk(type, relation, child);
        return;
      case 'difference':
        this.walk(type, relation, rewrite.base);
        return;
      default:
        return;
    }
  }

  /** Relations of `type` that `relation` implies on the same object. */
  impliedBy(type: string, relation: string): readonly string[] {
    return this.computedParents.get(`${type}#${relation}`) ?? [];
  }

  /** For a tuple `type:x#tupleset@parent`, which parent relation implies which relation of type:x. */
  throughTupleset(type: string, tupleset: string): readonly { computed: string; relation: string }[] {
    return this.ttuParents.get(`${type}#${tupleset}`) ?? [];
  }
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (!list) map.set(key, [value]);
  else if (!list.includes(value)) list.push(value);
}

const graphs = new WeakMap<CompiledModel, ModelGraph>();

export function modelGraph(model: CompiledModel): ModelGraph {
  let graph = graphs.get(model);
  if (!graph) {
    graph = new ModelGraph(model);
    graphs.set(model, graph);
  }
  return graph;
}
