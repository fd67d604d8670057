// Validation of a workflow's condition tree: all / any / not over predicates.
import { RE2JS } from 're2js';
import {
  expectBoolean,
  expectGlob,
  expectInteger,
  expectList,
  expectObject,
  expectScalar,
  expectString,
  expectSubject,
  has,
  invalidWorkflow,
  item,
  member,
} from './definition-checks';
import type { WorkflowCondition, WorkflowPredicate } from './workflow-definition';
import { MAX_CONDITION_DEPTH } from './workflow-definition';

const COMBINATORS = ['all', 'any', 'not'] as const;
const PREDICATES = ['path', 'extension', 'mimeType', 'size', 'tags', 'metadata', 'actor', 'version'] as const;
const NODE_KEYS: readonly string[] = [...COMBINATORS, ...PREDICATES];

const EXTENSION = /^\.?[a-z0-9](?:[a-z0-9_+.-]*[a-z0-9_+-])?$/i;
const MIME_TOKEN = '[a-z0-9][a-z0-9!#$&^_.+-]*';
const MIME_TYPE = new RegExp(`^${MIME_TOKEN}/(?:\\*|${MIME_TOKEN})$`, 'i');

/**
 * A condition tree at `field`. `depth` counts the nodes from the root down to this one
 * (a lone predicate has depth 1); deeper than MAX_CONDITION_DEPTH is refused.
 */
export function parseCondition(value: unknown, field: string, depth = 1): WorkflowCondition {
  if (depth > MAX_CONDITION_DEPTH) {
    throw invalidWorkflow(field, `conditions nest deeper than ${MAX_CONDITION_DEPTH} levels`, {
      maxDepth: MAX_CONDITION_DEPTH,
    });
  }
  const node = expectObject(value, field, NODE_KEYS);
  const keys = Object.keys(node);
  if (keys.length !== 1) {
    throw invalidWorkflow(
      field,
      keys.length === 0
        ? `must have exactly one of ${NODE_KEYS.join(', ')}`
        : `must have exactly one key, not ${keys.length} (${keys.join(', ')})`,
      { known: [...NODE_KEYS] },
    );
  }
  const key = keys[0] ?? '';
  const at = member(field, key);
  const child = node[key];
  switch (key) {
    case 'all':
    case 'any': {
      const children = expectListOf(child, at).map((entry, index) =>
        parseCondition(entry, item(at, index), depth + 1),
      );
      return key === 'all' ? { all: children } : { any: children };
    }
    case 'not':
      return { not: parseCondition(child, at, depth + 1) };
    default:
      return parsePredicate(key, child, at);
  }
}

function expectListOf(value: unknown, field: string): unknown[] {
  if (!Array.isArray(value)) throw invalidWorkflow(field, 'must be an array of conditions');
  if (value.length === 0) throw invalidWorkflow(field, 'must not be empty');
  return value as unknown[];
}

function parsePredicate(key: string, value: unknown, field: string): WorkflowPredicate {
  switch (key) {
    case 'path':
      return { path: parsePathTest(value, field) };
    case 'extension':
      return { extension: expectList(value, field, checkExtension) };
    case 'mimeType':
      return { mimeType: expectList(value, field, checkMimeType) };
    case 'size':
      return { size: parseRange(value, field) };
    case 'version':
      return { version: parseRange(value, field) };
    case 'tags':
      return { tags: parseTagsTest(value, field) };
    case 'metadata':
      return { metadata: parseMetadataTest(value, field) };
    default:
      return { actor: expectList(value, field, expectSubject) };
  }
}

function parsePathTest(value: unknown, field: string): { glob: string } | { regex: string } {
  const test = expectObject(value, field, ['glob', 'regex']);
  const keys = Object.keys(test);
  if (keys.length !== 1) throw invalidWorkflow(field, 'must have exactly one of glob, regex');
  if (keys[0] === 'glob') return { glob: expectGlob(test.glob, member(field, 'glob')) };
  const at = member(field, 'regex');
  const regex = expectString(test.regex, at, { min: 1, max: 1000 });
  try {
    RE2JS.compile(regex);
  } catch (error) {
    throw invalidWorkflow(at, `not a valid RE2 regular expression (${(error as Error).message})`);
  }
  return { regex };
}

/** `md` or `.md`, stored as `md` (lower case). */
function checkExtension(value: unknown, field: string): string {
  const extension = expectString(value, field, { min: 1, max: 32 });
  if (!EXTENSION.test(extension))
    throw invalidWorkflow(field, `"${extension}" is not a file extension (e.g. md or .md)`);
  return extension.replace(/^\./, '').toLowerCase();
}

/** `text/plain` or `image/*`, stored in lower case. */
function checkMimeType(value: unknown, field: string): string {
  const mimeType = expectString(value, field, { min: 1, max: 255 });
  if (!MIME_TYPE.test(mimeType)) {
    throw invalidWorkflow(field, `"${mimeType}" is not a media type (e.g. text/plain or image/*)`);
  }
  return mimeType.toLowerCase();
}

function parseRange(value: unknown, field: string): { min?: number; max?: number } {
  const range = expectObject(value, field, ['min', 'max']);
  if (!has(range, 'min') && !has(range, 'max')) throw invalidWorkflow(field, 'must have min, max or both');
  const result: { min?: number; max?: number } = {};
  if (has(range, 'min'))
    result.min = expectInteger(range.min, member(field, 'min'), 0, Number.MAX_SAFE_INTEGER);
  if (has(range, 'max'))
    result.max = expectInteger(range.max, member(field, 'max'), 0, Number.MAX_SAFE_INTEGER);
  if (result.min !== undefined && result.max !== undefined && result.min > result.max) {
    throw invalidWorkflow(member(field, 'min'), `must not exceed max (${result.min} > ${result.max})`);
  }
  return result;
}

function checkTag(value: unknown, field: string): string {
  return expectString(value, field, { min: 1, max: 200 });
}

function parseTagsTest(value: unknown, field: string): { all?: string[]; any?: string[] } {
  const test = expectObject(value, field, ['all', 'any']);
  if (!has(test, 'all') && !has(test, 'any')) throw invalidWorkflow(field, 'must have all, any or both');
  const result: { all?: string[]; any?: string[] } = {};
  if (has(test, 'all')) result.all = expectList(test.all, member(field, 'all'), checkTag);
  if (has(test, 'any')) result.any = expectList(test.any, member(field, 'any'), checkTag);
  return result;
}

function parseMetadataTest(
  value: unknown,
  field: string,
): { key: string; equals?: string | number | boolean | null; exists?: boolean } {
  const test = expectObject(value, field, ['key', 'equals', 'exists']);
  if (!has(test, 'key')) throw invalidWorkflow(member(field, 'key'), 'is required');
  const key = expectString(test.key, member(field, 'key'), { min: 1, max: 200 });
  if (has(test, 'equals') === has(test, 'exists'))
    throw invalidWorkflow(field, 'must have exactly one of equals, exists');
  return has(test, 'equals')
    ? { key, equals: expectScalar(test.equals, member(field, 'equals')) }
    : { key, exists: expectBoolean(test.exists, member(field, 'exists')) };
}
