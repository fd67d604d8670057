import type { CompiledModel } from './compiled-model';
import type { DirectType, Rewrite } from './model.types';

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
  /** `type#relation` kinds some relation accepts as a userset subject. */
  private readonly usersetKinds = new Set<string>();
  /** Types some tupleset relation accepts as a parent. */
  private readonly parentTypes = new Set<string>();
  private readonly unionOnlyMemo = new Map<string, boolean>();

  constructor(private readonly model: CompiledModel) {
    for (const [type, relations] of model.types) {
      for (const relation of relations.values()) {
        this.walk(type, relation.name, relation.rewrite);
        for (const direct of relation.directTypes) {
          if (direct.relation) this.usersetKinds.add(`${direct.type}#${direct.relation}`);
          else if (!direct.wildcard && model.isTupleset(type, relation.name))
            this.parentTypes.add(direct.type);
        }
      }
    }
  }

  /** Whether any tuple can name `type:id#relation` as its subject (a userset the model accepts). */
  acceptsUserset(type: string, relation: string): boolean {
    return this.usersetKinds.has(`${type}#${relation}`);
  }

  /** Whether an object of `type` can be a tupleset's parent. */
  acceptsParent(type: string): boolean {
    return this.parentTypes.has(type);
  }

  /**
   * Whether `type#relation` and everything it resolves through are unions of
   * direct tuples, computed relations and tuplesets — no intersection or
   * exclusion anywhere below it. Then every object reached backwards from a
   * subject holds the relation, and list-objects needs no check per candidate.
   */
  unionOnly(type: string, relation: string): boolean {
    const key = `${type}#${relation}`;
    let known = this.unionOnlyMemo.get(key);
    if (known === undefined) {
      known = true;
      const seen = new Set<string>([key]);
      const pending: [string, string][] = [[type, relation]];
      for (let next = pending.pop(); next && known; next = pending.pop()) {
        const [nextType, nextRelation] = next;
        const compiled = this.model.relation(nextType, nextRelation);
        if (!compiled) continue;
        const visit = (t: string, r: string) => {
          const k = `${t}#${r}`;
          if (!seen.has(k)) {
            seen.add(k);
            pending.push([t, r]);
          }
        };
        known = this.resolvesThrough(nextType, compiled.rewrite, compiled.directTypes, visit);
      }
      this.unionOnlyMemo.set(key, known);
    }
    return known;
  }

  /** Calls `visit` for every relation a rewrite resolves through; false on an intersection or exclusion. */
  private resolvesThrough(
    type: string,
    rewrite: Rewrite,
    direct: readonly DirectType[],
    visit: (type: string, relation: string) => void,
  ): boolean {
    switch (rewrite.kind) {
      case 'this':
        for (const d of direct) if (d.relation) visit(d.type, d.relation);
        return true;
      case 'computed':
        visit(type, rewrite.relation);
        return true;
      case 'ttu':
        for (const parent of this.model.relation(type, rewrite.tupleset)?.directTypes ?? [])
          if (!parent.relation) visit(parent.type, rewrite.computed);
        return true;
      case 'union':
        return rewrite.children.every((child) => this.resolvesThrough(type, child, direct, visit));
      default:
        return false;
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
