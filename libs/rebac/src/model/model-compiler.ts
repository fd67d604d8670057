import { ConditionsNotSupportedError, ModelValidationError } from '../rebac.errors';
import { NAME_PATTERN } from '../tuple/tuple-parsing';
import { CompiledModel } from './compiled-model';
import type {
  AuthorizationModel,
  CompiledRelation,
  DirectType,
  RelationReference,
  Rewrite,
  TypeDefinition,
  Userset,
} from './model.types';
import { subjectKindKey } from './model.types';

export const MAX_TYPES = 200;
export const MAX_RELATIONS_PER_TYPE = 200;
const MAX_REWRITE_NODES = 2_000;
const OPERATORS = [
  'this',
  'computedUserset',
  'tupleToUserset',
  'union',
  'intersection',
  'difference',
] as const;

function invalid(message: string, path: string): never {
  throw new ModelValidationError(message, { path });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function assertName(value: unknown, path: string, what: string): asserts value is string {
  if (typeof value !== 'string' || !NAME_PATTERN.test(value))
    invalid(`${what} must match ${String(NAME_PATTERN)}`, path);
}

function hasCondition(value: unknown): boolean {
  return isRecord(value) && typeof value.condition === 'string' && value.condition !== '';
}

/** Refuses CEL conditions anywhere (model-level or on a type restriction) until they are supported. */
function rejectConditions(model: Record<string, unknown>): void {
  if (isRecord(model.conditions) && Object.keys(model.conditions).length > 0) {
    throw new ConditionsNotSupportedError({ conditions: Object.keys(model.conditions) });
  }
  const definitions = Array.isArray(model.type_definitions) ? (model.type_definitions as unknown[]) : [];
  for (const definition of definitions) {
    if (!isRecord(definition) || !isRecord(definition.metadata) || !isRecord(definition.metadata.relations))
      continue;
    for (const [relation, metadata] of Object.entries(definition.metadata.relations)) {
      const types = isRecord(metadata) ? metadata.directly_related_user_types : undefined;
      if (Array.isArray(types) && types.some(hasCondition)) {
        throw new ConditionsNotSupportedError({ type: definition.type, relation });
      }
    }
  }
}

class Compiler {
  private nodes = 0;
  private readonly definitions = new Map<string, TypeDefinition>();

  constructor(private readonly model: AuthorizationModel) {}

  compile(): CompiledModel {
    const types = new Map<string, Map<string, CompiledRelation>>();
    this.model.type_definitions.forEach((definition, index) => {
      const path = `type_definitions[${index}]`;
      if (!isRecord(definition)) invalid('a type definition must be an object', path);
      assertName(definition.type, `${path}.type`, 'type name');
      if (this.definitions.has(definition.type))
        invalid(`type '${definition.type}' is defined twice`, `${path}.type`);
      if (
        definition.relations !== undefined &&
        definition.relations !== null &&
        !isRecord(definition.relations)
      ) {
        invalid('relations must be an object', `${path}.relations`);
      }
      if (Object.keys(definition.relations ?? {}).length > MAX_RELATIONS_PER_TYPE) {
        invalid(`a type may define at most ${MAX_RELATIONS_PER_TYPE} relations`, `${path}.relations`);
      }
      this.definitions.set(definition.type, definition);
    });
    for (const [type, definition] of this.definitions) {
      const relations = new Map<string, CompiledRelation>();
      for (const [name, userset] of Object.entries(definition.relations ?? {})) {
        relations.set(name, this.compileRelation(type, name, userset, definition));
      }
      const metadata = definition.metadata?.relations ?? {};
      for (const name of Object.keys(metadata ?? {})) {
        if (!relations.has(name))
          invalid(`metadata names relation '${name}' that '${type}' does not define`, `${type}.metadata`);
      }
      types.set(type, relations);
    }
    const compiled = new CompiledModel(this.model, types);
    this.checkReferences(compiled);
    this.checkComputedCycles(compiled);
    return compiled;
  }

  private compileRelation(
    type: string,
    name: string,
    userset: Userset,
    definition: TypeDefinition,
  ): CompiledRelation {
    const path = `${type}#${name}`;
    assertName(name, path, 'relation name');
    const metadata = definition.metadata?.relations?.[name];
    const references: unknown = metadata?.directly_related_user_types ?? [];
    if (!Array.isArray(references)) invalid('directly_related_user_types must be an array', path);
    const directTypes = (references as unknown[]).map((reference, index) =>
      this.directType(reference, `${path}.directly_related_user_types[${index}]`),
    );
    const rewrite = this.rewrite(userset, path);
    const hasThis = containsThis(rewrite);
    if (hasThis && directTypes.length === 0)
      invalid(`'${path}' is assignable but names no directly related user types`, path);
    if (!hasThis && directTypes.length > 0)
      invalid(`'${path}' names directly related user types but is not assignable`, path);
    const allowed = new Set(
      directTypes.map((t) => subjectKindKey(t.type, t.wildcard ? '*' : 'x', t.relation ?? '')),
    );
    if (allowed.size !== directTypes.length)
      invalid(`'${path}' lists a directly related user type twice`, path);
    return { type, name, rewrite, directTypes, allowed, assignable: hasThis };
  }

  private directType(reference: unknown, path: string): DirectType {
    if (!isRecord(reference)) invalid('a directly related user type must be an object', path);
    const { type, relation, wildcard } = reference as Partial<RelationReference>;
    assertName(type, `${path}.type`, 'type name');
    const hasRelation = relation !== undefined && relation !== '';
    if (hasRelation) assertName(relation, `${path}.relation`, 'relation name');
    const isWildcard = wildcard !== undefined && wildcard !== null;
    if (hasRelation && isWildcard)
      invalid('a directly related user type cannot be both a wildcard and a userset', path);
    return hasRelation ? { type, relation, wildcard: false } : { type, wildcard: isWildcard };
  }

  private rewrite(userset: unknown, path: string): Rewrite {
    if (++this.nodes > MAX_REWRITE_NODES) invalid('the model is too large', path);
    if (!isRecord(userset)) invalid('a relation rewrite must be an object', path);
    const present = OPERATORS.filter((key) => userset[key] !== undefined && userset[key] !== null);
    if (present.length !== 1) invalid(`a rewrite must have exactly one of ${OPERATORS.join(', ')}`, path);
    const operator = present[0];
    const body = userset[operator as string];
    switch (operator) {
      case 'this':
        return { kind: 'this' };
      case 'computedUserset':
        return { kind: 'computed', relation: this.relationOf(body, `${path}.computedUserset`) };
      case 'tupleToUserset': {
        if (!isRecord(body)) invalid('tupleToUserset must be an object', path);
        return {
          kind: 'ttu',
          tupleset: this.relationOf(body.tupleset, `${path}.tupleToUserset.tupleset`),
          computed: this.relationOf(body.computedUserset, `${path}.tupleToUserset.computedUserset`),
        };
      }
      case 'union':
      case 'intersection': {
        const children = isRecord(body) ? body.child : undefined;
        if (!Array.isArray(children) || children.length === 0)
          invalid(`${operator} needs at least one child`, path);
        return {
          kind: operator,
          children: children.map((child, i) => this.rewrite(child, `${path}.${operator}[${i}]`)),
        };
      }
      default: {
        if (!isRecord(body)) invalid('difference must be an object {base, subtract}', path);
        return {
          kind: 'difference',
          base: this.rewrite(body.base, `${path}.difference.base`),
          subtract: this.rewrite(body.subtract, `${path}.difference.subtract`),
        };
      }
    }
  }

  private relationOf(value: unknown, path: string): string {
    if (!isRecord(value)) invalid('expected an object {relation}', path);
    if (value.object !== undefined && value.object !== '')
      invalid('only relations of the same object are supported', path);
    assertName(value.relation, `${path}.relation`, 'relation name');
    return value.relation;
  }

  /** Every referenced type and relation exists, and tuplesets are plain direct relations. */
  private checkReferences(model: CompiledModel): void {
    for (const [type, relations] of model.types) {
      for (const relation of relations.values()) {
        const path = `${type}#${relation.name}`;
        for (const direct of relation.directTypes) {
          if (!model.hasType(direct.type)) invalid(`'${path}' allows unknown type '${direct.type}'`, path);
          if (direct.relation !== undefined && !model.relation(direct.type, direct.relation)) {
            invalid(`'${path}' allows unknown userset '${direct.type}#${direct.relation}'`, path);
          }
        }
        this.checkRewrite(model, type, relation.rewrite, path);
      }
    }
  }

  private checkRewrite(model: CompiledModel, type: string, rewrite: Rewrite, path: string): void {
    switch (rewrite.kind) {
      case 'computed':
        if (!model.relation(type, rewrite.relation))
          invalid(`'${path}' refers to unknown relation '${rewrite.relation}'`, path);
        return;
      case 'ttu': {
        const tupleset = model.relation(type, rewrite.tupleset);
        if (!tupleset) invalid(`'${path}' uses unknown tupleset relation '${rewrite.tupleset}'`, path);
        if (!tupleset.assignable || tupleset.rewrite.kind !== 'this') {
          invalid(`tupleset '${type}#${rewrite.tupleset}' must be a directly assignable relation`, path);
        }
        if (tupleset.directTypes.some((d) => d.relation !== undefined || d.wildcard)) {
          invalid(`tupleset '${type}#${rewrite.tupleset}' may only allow plain object types`, path);
        }
        if (!tupleset.directTypes.some((d) => model.relation(d.type, rewrite.computed))) {
          invalid(`no type allowed in '${type}#${rewrite.tupleset}' defines '${rewrite.computed}'`, path);
        }
        return;
      }
      case 'union':
      case 'intersection':
        for (const child of rewrite.children) this.checkRewrite(model, type, child, path);
        return;
      case 'difference':
        this.checkRewrite(model, type, rewrite.base, path);
        this.checkRewrite(model, type, rewrite.subtract, path);
        return;
      default:
        return;
    }
  }

  /** `define a: b` / `define b: a` can never hold: refuse such models. */
  private checkComputedCycles(model: CompiledModel): void {
    for (const [type, relations] of model.types) {
      for (const start of relations.values()) {
        const seen = new Set<string>([start.name]);
        let current: Rewrite = start.rewrite;
        while (current.kind === 'computed') {
          if (seen.has(current.relation))
            invalid(`'${type}#${start.name}' is defined only through itself`, `${type}#${start.name}`);
          seen.add(current.relation);
          const next = relations.get(current.relation);
          if (!next) break;
          current = next.rewrite;
        }
      }
    }
  }
}

function containsThis(rewrite: Rewrite): boolean {
  switch (rewrite.kind) {
    case 'this':
      return true;
    case 'union':
    case 'intersection':
      return rewrite.children.some(containsThis);
    case 'difference':
      return containsThis(rewrite.base) || containsThis(rewrite.subtract);
    default:
      return false;
  }
}

/**
 * Validates an OpenFGA JSON authorization model (schema 1.1) and compiles it.
 * Throws ModelValidationError (or ConditionsNotSupportedError) naming the problem.
 */
export function compileModel(input: unknown): CompiledModel {
  if (!isRecord(input)) invalid('the authorization model must be a JSON object', '$');
  rejectConditions(input);
  if (input.schema_version !== '1.1') invalid("schema_version must be '1.1'", 'schema_version');
  if (!Array.isArray(input.type_definitions) || input.type_definitions.length === 0) {
    invalid('type_definitions must be a non-empty array', 'type_definitions');
  }
  if (input.type_definitions.length > MAX_TYPES) invalid(`at most ${MAX_TYPES} types`, 'type_definitions');
  const model: AuthorizationModel = {
    schema_version: '1.1',
    type_definitions: input.type_definitions as TypeDefinition[],
  };
  return new Compiler(model).compile();
}
