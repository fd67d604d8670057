import { DomainError } from '@nexus/core';
import { DEFAULT_MODEL_DSL, defaultModel } from './default-model';
import { dslToJson, jsonToDsl } from './dsl';
import { compileModel } from './model-compiler';

function codeOf(work: () => unknown): string | undefined {
  try {
    work();
  } catch (error) {
    return error instanceof DomainError ? error.code : `NOT_A_DOMAIN_ERROR: ${String(error)}`;
  }
  return undefined;
}

const compileDsl = (dsl: string) => compileModel(dslToJson(dsl));
const header = 'model\n  schema 1.1\ntype user\n';

describe('compileModel', () => {
  it('compiles the default model: user, agent, group, zone and file', () => {
    const model = defaultModel();
    expect([...model.types.keys()]).toEqual(['user', 'agent', 'group', 'zone', 'file']);
    expect([...(model.types.get('file')?.keys() ?? [])]).toEqual(['parent', 'owner', 'editor', 'viewer']);
    expect(model.relation('file', 'viewer')?.allowed.has('user:*')).toBe(true);
    expect(model.relation('file', 'editor')?.allowed.has('user:*')).toBe(true);
    expect(model.relation('file', 'owner')?.allowed.has('user:*')).toBe(false);
    expect(model.relation('group', 'member')?.allowed.has('group#member')).toBe(true);
    expect(model.isTupleset('file', 'parent')).toBe(true);
    expect(model.assignableByType.get('file')).toEqual(['parent', 'owner', 'editor', 'viewer']);
  });

  it('renders a model back to DSL that compiles to the same JSON', () => {
    const json = dslToJson(DEFAULT_MODEL_DSL);
    const again = dslToJson(jsonToDsl(compileModel(json).source));
    expect(again).toEqual(json);
  });

  it('compiles every rewrite operator', () => {
    const model = compileDsl(`${header}type doc
  relations
    define parent: [doc]
    define a: [user]
    define b: [user]
    define union: a or b
    define both: a and b
    define diff: a but not b
    define inherited: a from parent
    define computed: a
`);
    const kinds = ['union', 'both', 'diff', 'inherited', 'computed'].map(
      (r) => model.relation('doc', r)?.rewrite.kind,
    );
    expect(kinds).toEqual(['union', 'intersection', 'difference', 'ttu', 'computed']);
  });

  it.each([
    ['a non-object', 42],
    ['a wrong schema version', { schema_version: '1.0', type_definitions: [{ type: 'user' }] }],
    ['no type definitions', { schema_version: '1.1', type_definitions: [] }],
    ['a duplicate type', { schema_version: '1.1', type_definitions: [{ type: 'user' }, { type: 'user' }] }],
    ['a type name with a colon', { schema_version: '1.1', type_definitions: [{ type: 'us:er' }] }],
    [
      'two operators in one rewrite',
      {
        schema_version: '1.1',
        type_definitions: [
          { type: 'doc', relations: { a: { this: {}, computedUserset: { relation: 'a' } } } },
        ],
      },
    ],
    [
      'an empty rewrite',
      { schema_version: '1.1', type_definitions: [{ type: 'doc', relations: { a: {} } }] },
    ],
  ])('rejects %s with MODEL_VALIDATION_FAILED', (_label, json) => {
    expect(codeOf(() => compileModel(json))).toBe('MODEL_VALIDATION_FAILED');
  });

  it.each([
    ['an unknown directly related type', `${header}type doc\n  relations\n    define viewer: [team]\n`],
    ['an unknown userset relation', `${header}type doc\n  relations\n    define viewer: [doc#nope]\n`],
    [
      'a computed userset to an unknown relation',
      `${header}type doc\n  relations\n    define viewer: editor\n`,
    ],
    ['an unknown tupleset', `${header}type doc\n  relations\n    define viewer: viewer from parent\n`],
    [
      'a tupleset allowing usersets',
      `${header}type group\n  relations\n    define member: [user]\ntype doc\n  relations\n    define parent: [group#member]\n    define viewer: member from parent\n`,
    ],
    [
      'a tupleset whose types lack the relation',
      `${header}type folder\ntype doc\n  relations\n    define parent: [folder]\n    define viewer: viewer from parent\n`,
    ],
    [
      'a relation defined only through itself',
      `${header}type doc\n  relations\n    define a: b\n    define b: a\n`,
    ],
    ['a relation referring to itself', `${header}type doc\n  relations\n    define a: a\n`],
  ])('rejects %s', (_label, dsl) => {
    expect(codeOf(() => compileDsl(dsl))).toBe('MODEL_VALIDATION_FAILED');
  });

  it('rejects types on a relation that is not assignable, and an assignable relation without types', () => {
    const base = { schema_version: '1.1' };
    expect(
      codeOf(() =>
        compileModel({
          ...base,
          type_definitions: [
            { type: 'user' },
            {
              type: 'doc',
              relations: { a: { this: {} }, b: { computedUserset: { relation: 'a' } } },
              metadata: {
                relations: {
                  a: { directly_related_user_types: [{ type: 'user' }] },
                  b: { directly_related_user_types: [{ type: 'user' }] },
                },
              },
            },
          ],
        }),
      ),
    ).toBe('MODEL_VALIDATION_FAILED');
    expect(
      codeOf(() =>
        compileModel({ ...base, type_definitions: [{ type: 'doc', relations: { a: { this: {} } } }] }),
      ),
    ).toBe('MODEL_VALIDATION_FAILED');
  });

  it('refuses CEL conditions with CONDITIONS_NOT_SUPPORTED (400)', () => {
    const json = dslToJson(
      `${header}type doc\n  relations\n    define viewer: [user with fresh]\ncondition fresh(age: int) {\n  age < 10\n}\n`,
    );
    expect(codeOf(() => compileModel(json))).toBe('CONDITIONS_NOT_SUPPORTED');
    try {
      compileModel(json);
    } catch (error) {
      expect((error as DomainError).status).toBe(400);
    }
  });

  it('reports DSL that does not parse as MODEL_VALIDATION_FAILED', () => {
    expect(codeOf(() => dslToJson('model\n  schema 1.1\ntype\n'))).toBe('MODEL_VALIDATION_FAILED');
    expect(codeOf(() => dslToJson(''))).toBe('MODEL_VALIDATION_FAILED');
  });
});
