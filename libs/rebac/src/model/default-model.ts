import type { CompiledModel } from './compiled-model';
import { dslToJson } from './dsl';
import { compileModel } from './model-compiler';

/**
 * The model every new zone starts with. Files and directories are `file` objects
 * whose ids are zone-relative paths; each level implies the next
 * (owner ⊂ editor ⊂ viewer) and every relation is inherited from the parent.
 * viewer and editor accept `user:*` for public files.
 */
export const DEFAULT_MODEL_DSL = `model
  schema 1.1

type user

type agent

type group
  relations
    define member: [user, agent, group#member]

type zone
  relations
    define admin: [user, agent, group#member]
    define member: [user, agent, group#member] or admin

type file
  relations
    define parent: [file]
    define owner: [user, agent, group#member] or owner from parent
    define editor: [user, user:*, agent, group#member] or owner or editor from parent
    define viewer: [user, user:*, agent, group#member] or editor or viewer from parent
`;

let compiled: CompiledModel | undefined;

export function defaultModel(): CompiledModel {
  compiled ??= compileModel(dslToJson(DEFAULT_MODEL_DSL));
  return compiled;
}
