/* OpenFGA's JSON authorization model (schema 1.1), as accepted and stored. */

export interface RelationReference {
  type: string;
  relation?: string;
  wildcard?: Record<string, never>;
  condition?: string;
}

export interface ObjectRelation {
  object?: string;
  relation: string;
}

export interface Userset {
  this?: Record<string, never>;
  computedUserset?: ObjectRelation;
  tupleToUserset?: { tupleset: ObjectRelation; computedUserset: ObjectRelation };
  union?: { child: Userset[] };
  intersection?: { child: Userset[] };
  difference?: { base: Userset; subtract: Userset };
}

export interface RelationMetadata {
  directly_related_user_types?: RelationReference[];
}

export interface TypeDefinition {
  type: string;
  relations?: Record<string, Userset>;
  metadata?: { relations?: Record<string, RelationMetadata> | null } | null;
}

export interface AuthorizationModel {
  schema_version: string;
  type_definitions: TypeDefinition[];
  conditions?: Record<string, unknown>;
}

/* The compiled form the engine evaluates. */

export type Rewrite =
  | { kind: 'this' }
  | { kind: 'computed'; relation: string }
  | { kind: 'ttu'; tupleset: string; computed: string }
  | { kind: 'union'; children: Rewrite[] }
  | { kind: 'intersection'; children: Rewrite[] }
  | { kind: 'difference'; base: Rewrite; subtract: Rewrite };

/** One allowed subject kind of a directly assignable relation. */
export interface DirectType {
  type: string;
  relation?: string;
  wildcard: boolean;
}

export interface CompiledRelation {
  type: string;
  name: string;
  rewrite: Rewrite;
  directTypes: DirectType[];
  /** Keys of the allowed subject kinds: `user`, `user:*`, `group#member`. */
  allowed: ReadonlySet<string>;
  /** Whether tuples may be written for it (it has directly related user types). */
  assignable: boolean;
}

/** The key of a subject kind, as in CompiledRelation.allowed. */
export function subjectKindKey(type: string, id: string, relation: string): string {
  if (relation !== '') return `${type}#${relation}`;
  return id === '*' ? `${type}:*` : type;
}
