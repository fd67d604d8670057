// Evaluation of a workflow's condition tree against the triggering file (or event),
// with a trace of every node for dry runs and execution records. Pure: no I/O.
import picomatch from 'picomatch';
import { RE2JS } from 're2js';
import type { WorkflowCondition, WorkflowPredicate } from '../definition/workflow-definition';
import { pathParts } from './template-values';

/** What conditions test: the file an event concerns (or only the event). */
export interface ConditionSubject {
  /** The file's path (null for an event without one). */
  path: string | null;
  size: number | null;
  mimeType: string | null;
  version: number | null;
  tags: readonly string[];
  metadata: Readonly<Record<string, unknown>>;
  /** Who caused the event, `type:id`. */
  actor: string | null;
}

/**
 * How one node of the tree came out: which test it is (`all`, `any`, `not`, `path.glob`,
 * `path.regex`, `extension`, `mimeType`, `size`, `version`, `tags`, `metadata`, `actor`;
 * `always` for no condition), whether it matched, why, and its children's traces.
 */
export interface ConditionTrace {
  matched: boolean;
  node: string;
  detail?: string;
  children?: ConditionTrace[];
}

// Compiled globs and regexes by source, bounded (cleared when full) like event-match.ts.
const MAX_COMPILED = 10_000;
const globs = new Map<string, (path: string) => boolean>();
const regexes = new Map<string, RE2JS>();

function cached<T>(cache: Map<string, T>, source: string, compile: (source: string) => T): T {
  let value = cache.get(source);
  if (value === undefined) {
    value = compile(source);
    if (cache.size >= MAX_COMPILED) cache.clear();
    cache.set(source, value);
  }
  return value;
}

function globMatcher(glob: string): (path: string) => boolean {
  return cached(globs, glob, (source) => picomatch(source, { dot: true, windows: false }));
}

function regexMatcher(regex: string): RE2JS {
  return cached(regexes, regex, (source) => RE2JS.compile(source));
}

/** Entries in the caches (for tests). */
export function conditionCacheSizes(): { globs: number; regexes: number } {
  return { globs: globs.size, regexes: regexes.size };
}

function list(values: readonly unknown[]): string {
  return `[${values.map((value) => String(value)).join(', ')}]`;
}

function leaf(node: string, matched: boolean, detail: string): ConditionTrace {
  return { matched, node, detail };
}

/**
 * Whether `subject` satisfies `condition`, with the trace of how. No condition always
 * matches. `all` and `any` evaluate every child (so the trace is complete); a test on
 * a value the subject lacks (no path, size, version, MIME type or actor) does not match.
 * A node of unknown shape does not match (trace node `unknown`).
 */
export function evaluateCondition(
  condition: WorkflowCondition | null,
  subject: ConditionSubject,
): ConditionTrace {
  if (condition === null) return { matched: true, node: 'always' };
  if ('all' in condition) {
    const children = condition.all.map((child) => evaluateCondition(child, subject));
    const hits = children.filter((child) => child.matched).length;
    return {
      matched: hits === children.length,
      node: 'all',
      detail: `${hits} of ${children.length} matched`,
      children,
    };
  }
  if ('any' in condition) {
    const children = condition.any.map((child) => evaluateCondition(child, subject));
    const hits = children.filter((child) => child.matched).length;
    return { matched: hits > 0, node: 'any', detail: `${hits} of ${children.length} matched`, children };
  }
  if ('not' in condition) {
    const child = evaluateCondition(condition.not, subject);
    return {
      matched: !child.matched,
      node: 'not',
      detail: child.matched ? 'child matched' : 'child did not match',
      children: [child],
    };
  }
  return evaluatePredicate(condition, subject);
}

function evaluatePredicate(predicate: WorkflowPredicate, subject: ConditionSubject): ConditionTrace {
  if ('path' in predicate) return evaluatePath(predicate.path, subject.path);
  if ('extension' in predicate) return evaluateExtension(predicate.extension, subject.path);
  if ('mimeType' in predicate) return evaluateMimeType(predicate.mimeType, subject.mimeType);
  if ('size' in predicate) return evaluateRange('size', predicate.size, subject.size);
  if ('version' in predicate) return evaluateRange('version', predicate.version, subject.version);
  if ('tags' in predicate) return evaluateTags(predicate.tags, subject.tags);
  if ('metadata' in predicate) return evaluateMetadata(predicate.metadata, subject.metadata);
  if ('actor' in predicate) {
    if (subject.actor === null) return leaf('actor', false, 'no actor');
    const matched = predicate.actor.includes(subject.actor);
    return leaf(
      'actor',
      matched,
      `actor ${subject.actor} ${matched ? 'in' : 'not in'} ${list(predicate.actor)}`,
    );
  }
  return leaf('unknown', false, `unknown condition (${Object.keys(predicate).join(', ')})`);
}

function evaluatePath(test: { glob: string } | { regex: string }, path: string | null): ConditionTrace {
  const isGlob = 'glob' in test;
  const node = isGlob ? 'path.glob' : 'path.regex';
  const pattern = isGlob ? test.glob : test.regex;
  if (path === null) return leaf(node, false, 'no path');
  let matched: boolean;
  try {
    matched = isGlob ? globMatcher(pattern)(path) : regexMatcher(pattern).matcher(path).find();
  } catch (error) {
    return leaf(node, false, `invalid ${isGlob ? 'glob' : 'regex'} ${pattern}: ${(error as Error).message}`);
  }
  return leaf(node, matched, `${path} ${matched ? 'matches' : 'does not match'} ${pattern}`);
}

function evaluateExtension(extensions: readonly string[], path: string | null): ConditionTrace {
  if (path === null) return leaf('extension', false, 'no path');
  const extension = pathParts(path).extension?.toLowerCase();
  const wanted = extensions.map((entry) => entry.replace(/^\./, '').toLowerCase());
  if (extension === undefined) return leaf('extension', false, `no extension, not in ${list(wanted)}`);
  const matched = wanted.includes(extension);
  return leaf('extension', matched, `extension ${extension} ${matched ? 'in' : 'not in'} ${list(wanted)}`);
}

function evaluateMimeType(patterns: readonly string[], mimeType: string | null): ConditionTrace {
  // Parameters (`; charset=utf-8`) are not part of the type.
  const actual = mimeType?.split(';')[0]?.trim().toLowerCase() ?? '';
  if (actual === '') return leaf('mimeType', false, 'no MIME type');
  const wanted = patterns.map((pattern) => pattern.toLowerCase());
  const matched = wanted.some((pattern) =>
    pattern.endsWith('/*') ? actual.startsWith(pattern.slice(0, -1)) : actual === pattern,
  );
  return leaf('mimeType', matched, `MIME type ${actual} ${matched ? 'in' : 'not in'} ${list(wanted)}`);
}

function evaluateRange(
  node: 'size' | 'version',
  range: { min?: number; max?: number },
  value: number | null,
): ConditionTrace {
  const bounds = `[${range.min ?? '*'}, ${range.max ?? '*'}]`;
  if (value === null || !Number.isFinite(value)) return leaf(node, false, `no ${node}, not in ${bounds}`);
  const matched =
    (range.min === undefined || value >= range.min) && (range.max === undefined || value <= range.max);
  return leaf(node, matched, `${node} ${value} ${matched ? 'in' : 'not in'} ${bounds}`);
}

function evaluateTags(test: { all?: string[]; any?: string[] }, tags: readonly string[]): ConditionTrace {
  const reasons: string[] = [];
  let matched = true;
  if (test.all !== undefined) {
    const missing = test.all.filter((tag) => !tags.includes(tag));
    if (missing.length > 0) matched = false;
    reasons.push(missing.length > 0 ? `missing ${list(missing)}` : `has all of ${list(test.all)}`);
  }
  if (test.any !== undefined) {
    const present = test.any.filter((tag) => tags.includes(tag));
    if (present.length === 0) matched = false;
    reasons.push(present.length > 0 ? `has ${list(present)}` : `none of ${list(test.any)}`);
  }
  return leaf('tags', matched, `tags ${reasons.join('; ')}`);
}

function evaluateMetadata(
  test: { key: string; equals?: string | number | boolean | null; exists?: boolean },
  metadata: Readonly<Record<string, unknown>>,
): ConditionTrace {
  const present = Object.prototype.hasOwnProperty.call(metadata, test.key);
  const label = `metadata ${JSON.stringify(test.key)}`;
  if (test.exists !== undefined) {
    const matched = present === test.exists;
    return leaf('metadata', matched, `${label} ${present ? 'present' : 'absent'}`);
  }
  if (!Object.prototype.hasOwnProperty.call(test, 'equals')) {
    return leaf('metadata', false, `${label}: neither equals nor exists given`);
  }
  const expected = JSON.stringify(test.equals);
  if (!present) return leaf('metadata', false, `${label} absent, not ${expected}`);
  const actual = metadata[test.key];
  const matched = actual === test.equals;
  const shown = describe(actual);
  return leaf('metadata', matched, `${label} is ${shown}, ${matched ? 'equals' : 'not'} ${expected}`);
}

/** A stored metadata value, shortly: scalars as JSON, anything else by its kind. */
function describe(value: unknown): string {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : typeof value;
}
