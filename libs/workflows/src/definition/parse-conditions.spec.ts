import { ValidationError } from '@nexus/core';
import { parseWorkflowDefinition } from './parse-definition';
import type { DefinitionContext, WorkflowCondition } from './workflow-definition';
import { MAX_CONDITION_DEPTH } from './workflow-definition';

const context: DefinitionContext = { eventTypes: new Set(['file_write']), jobTypes: new Set() };

function withConditions(conditions: unknown): unknown {
  return {
    name: 'w',
    trigger: { kind: 'manual' },
    conditions,
    actions: [{ type: 'delete' }],
  };
}

function parsed(conditions: unknown): WorkflowCondition | null {
  return parseWorkflowDefinition(withConditions(conditions), context).conditions;
}

function refusal(conditions: unknown): ValidationError {
  try {
    parsed(conditions);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error('accepted');
}

function nested(depth: number): unknown {
  let node: unknown = { extension: ['md'] };
  for (let i = 1; i < depth; i++) node = { not: node };
  return node;
}

describe('conditions', () => {
  it.each<[string, unknown]>([
    ['a path glob', { path: { glob: '/docs/**/*.md' } }],
    ['a path regex', { path: { regex: '^/docs/[a-z]+\\.md$' } }],
    ['a unicode class regex', { path: { regex: '\\p{L}+' } }],
    ['mime types', { mimeType: ['text/plain', 'image/*', 'application/vnd.ms-excel'] }],
    ['a size range', { size: { min: 0, max: 1024 } }],
    ['a size minimum', { size: { min: 10 } }],
    ['a version maximum', { version: { max: 3 } }],
    ['an equal range', { version: { min: 2, max: 2 } }],
    ['tags all', { tags: { all: ['a', 'b'] } }],
    ['tags any', { tags: { any: ['a'] } }],
    ['tags both', { tags: { all: ['a'], any: ['b', 'c'] } }],
    ['metadata equals a string', { metadata: { key: 'status', equals: 'done' } }],
    ['metadata equals null', { metadata: { key: 'status', equals: null } }],
    ['metadata equals a number', { metadata: { key: 'n', equals: 3.5 } }],
    ['metadata exists', { metadata: { key: 'status', exists: false } }],
    ['actors', { actor: ['user:alice', 'service:importer-1'] }],
    ['all', { all: [{ extension: ['md'] }, { size: { max: 10 } }] }],
    ['any with not', { any: [{ not: { tags: { any: ['draft'] } } }, { actor: ['user:bob'] }] }],
    ['the deepest allowed tree', nested(MAX_CONDITION_DEPTH)],
  ])('accepts %s', (_label, conditions) => {
    const result = parsed(conditions);
    expect(result).toEqual(conditions);
    expect(parsed(result)).toEqual(result);
  });

  it('normalises extensions and media types', () => {
    expect(parsed({ extension: ['.MD', 'txt', '.tar.gz'] })).toEqual({ extension: ['md', 'txt', 'tar.gz'] });
    expect(parsed({ mimeType: ['Text/Plain', 'IMAGE/*'] })).toEqual({ mimeType: ['text/plain', 'image/*'] });
  });

  it.each<[string, unknown, string, RegExp?]>([
    ['an empty node', {}, 'conditions', /exactly one of/],
    ['two keys', { extension: ['md'], size: { max: 1 } }, 'conditions', /exactly one key, not 2/],
    ['an unknown key', { filename: 'x' }, 'conditions.filename', /unknown property "filename"/],
    ['an array', [{ extension: ['md'] }], 'conditions', /object, not array/],
    ['an empty all', { all: [] }, 'conditions.all', /must not be empty/],
    ['an empty any', { any: [] }, 'conditions.any', /must not be empty/],
    ['an object all', { all: { extension: ['md'] } }, 'conditions.all', /array/],
    ['a null in all', { all: [{ extension: ['md'] }, null] }, 'conditions.all[1]', /object, not null/],
    [
      'a bad regex deep down',
      { all: [{ extension: ['md'] }, { path: { regex: '(a' } }] },
      'conditions.all[1].path.regex',
      /not a valid RE2 regular expression/,
    ],
    ['a backreference', { path: { regex: '(a)\\1' } }, 'conditions.path.regex', /RE2/],
    ['a lookahead', { any: [{ not: { path: { regex: 'a(?=b)' } } }] }, 'conditions.any[0].not.path.regex'],
    ['an empty regex', { path: { regex: '' } }, 'conditions.path.regex', /empty/],
    ['a bad glob', { path: { glob: '/a/{b' } }, 'conditions.path.glob', /not a valid path glob/],
    ['glob and regex', { path: { glob: '/a', regex: 'a' } }, 'conditions.path', /exactly one of glob, regex/],
    ['an empty path', { path: {} }, 'conditions.path', /exactly one of/],
    ['an unknown path key', { path: { prefix: '/a' } }, 'conditions.path.prefix', /unknown property/],
    ['a string extension', { extension: 'md' }, 'conditions.extension', /array/],
    ['no extensions', { extension: [] }, 'conditions.extension', /must not be empty/],
    [
      'a dotted-only extension',
      { extension: ['md', '.'] },
      'conditions.extension[1]',
      /not a file extension/,
    ],
    ['an extension with a slash', { extension: ['a/b'] }, 'conditions.extension[0]'],
    ['an extension with a space', { extension: ['m d'] }, 'conditions.extension[0]'],
    ['a bare media type', { mimeType: ['text'] }, 'conditions.mimeType[0]', /not a media type/],
    ['a wildcard type', { mimeType: ['*/*'] }, 'conditions.mimeType[0]'],
    ['a media type with a parameter', { mimeType: ['text/plain; charset=utf-8'] }, 'conditions.mimeType[0]'],
    ['an empty size', { size: {} }, 'conditions.size', /min, max or both/],
    ['a negative size', { size: { min: -1 } }, 'conditions.size.min', /between 0/],
    ['a fractional size', { size: { max: 1.5 } }, 'conditions.size.max', /integer/],
    ['a string size', { size: { max: '10' } }, 'conditions.size.max', /integer/],
    ['min above max', { version: { min: 3, max: 2 } }, 'conditions.version.min', /must not exceed max/],
    ['an unknown range key', { size: { min: 1, exact: 2 } }, 'conditions.size.exact', /unknown property/],
    ['empty tags', { tags: {} }, 'conditions.tags', /all, any or both/],
    ['an empty tag list', { tags: { any: [] } }, 'conditions.tags.any', /must not be empty/],
    ['an empty tag', { tags: { all: ['a', ''] } }, 'conditions.tags.all[1]', /must not be empty/],
    ['a numeric tag', { tags: { any: [1] } }, 'conditions.tags.any[0]', /string/],
    ['metadata without key', { metadata: { equals: 1 } }, 'conditions.metadata.key', /is required/],
    [
      'an empty metadata key',
      { metadata: { key: '', exists: true } },
      'conditions.metadata.key',
      /must not be empty/,
    ],
    [
      'a long metadata key',
      { metadata: { key: 'k'.repeat(201), exists: true } },
      'conditions.metadata.key',
      /at most 200/,
    ],
    [
      'metadata with neither',
      { metadata: { key: 'k' } },
      'conditions.metadata',
      /exactly one of equals, exists/,
    ],
    [
      'metadata with both',
      { metadata: { key: 'k', equals: 1, exists: true } },
      'conditions.metadata',
      /exactly one/,
    ],
    ['metadata equals an object', { metadata: { key: 'k', equals: { a: 1 } } }, 'conditions.metadata.equals'],
    [
      'metadata exists a string',
      { metadata: { key: 'k', exists: 'yes' } },
      'conditions.metadata.exists',
      /boolean/,
    ],
    ['a bad actor', { actor: ['user:alice', 'bob'] }, 'conditions.actor[1]', /type:id/],
    ['no actors', { actor: [] }, 'conditions.actor', /must not be empty/],
    ['a not of an array', { not: [{ extension: ['md'] }] }, 'conditions.not', /object, not array/],
    [
      'too deep',
      nested(MAX_CONDITION_DEPTH + 1),
      `conditions${'.not'.repeat(MAX_CONDITION_DEPTH)}`,
      /deeper than 10/,
    ],
  ])('refuses %s', (...[, conditions, field, message]) => {
    const error = refusal(conditions);
    expect(error.code).toBe('INVALID_WORKFLOW');
    expect(error.details).toMatchObject({ field });
    expect(error.message.startsWith(`${field}: `)).toBe(true);
    if (message) expect(error.message).toMatch(message);
  });
});
