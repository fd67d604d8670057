import { MemoryTupleLoader } from '../src/engine/memory-tuple-loader';
import { RebacEngine } from '../src/engine/rebac-engine';
import type { CompiledModel } from '../src/model/compiled-model';
import { dslToJson } from '../src/model/dsl';
import { compileModel } from '../src/model/model-compiler';
import { parseSubject, parseTupleKey } from '../src/tuple/tuple-parsing';
import type { RelationTuple, SubjectRef } from '../src/tuple/tuple.types';
import { toRow } from '../src/tuple/tuple.types';

/** `document:1#viewer@user:anne` → a tuple. */
export function tuple(text: string): RelationTuple {
  const at = text.indexOf('@');
  const left = text.slice(0, at);
  const hash = left.lastIndexOf('#');
  return parseTupleKey({
    object: left.slice(0, hash),
    relation: left.slice(hash + 1),
    user: text.slice(at + 1),
  });
}

export function subject(text: string): SubjectRef {
  return parseSubject(text);
}

export function model(dsl: string): CompiledModel {
  return compileModel(dslToJson(dsl));
}

export interface MemoryEngine {
  engine: RebacEngine;
  loader: MemoryTupleLoader;
  check(object: string, relation: string, user: string, contextual?: string[]): Promise<boolean>;
}

/** An engine over tuples in memory (tuples are not validated against the model: tests may store stale ones). */
export function memoryEngine(dsl: string | CompiledModel, tuples: string[] = []): MemoryEngine {
  const compiled = typeof dsl === 'string' ? model(dsl) : dsl;
  const loader = new MemoryTupleLoader(tuples.map((t) => toRow(tuple(t))));
  const engine = new RebacEngine(compiled, loader);
  return {
    engine,
    loader,
    check: async (object, relation, user, contextual) => {
      const [type = '', ...id] = object.split(':');
      return engine.check({
        object: { type, id: id.join(':') },
        relation,
        subject: parseSubject(user),
        contextualTuples: contextual?.map(tuple),
      });
    },
  };
}

export const DOCS_MODEL = `model
  schema 1.1
type user
type group
  relations
    define member: [user, group#member]
type folder
  relations
    define owner: [user]
    define viewer: [user, user:*, group#member] or owner
type document
  relations
    define parent: [folder]
    define owner: [user]
    define editor: [user, group#member] or owner
    define blocked: [user]
    define active: [user]
    define viewer: ([user, user:*, group#member] or editor or viewer from parent) but not blocked
    define reviewer: editor and active
`;
