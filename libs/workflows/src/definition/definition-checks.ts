// The small checks parseWorkflowDefinition is made of. Each one either returns the
// value (typed) or throws a 400 whose message starts with the field path and whose
// details.field is that path, like the subscriptions domain's errors.
import { ValidationError } from '@nexus/core';
import picomatch from 'picomatch';
import { WorkflowsErrorCode } from '../workflows.errors';

export function invalidWorkflow(
  field: string,
  reason: string,
  extra: Record<string, unknown> = {},
): ValidationError {
  return new ValidationError(`${field}: ${reason}`, { field, ...extra }, WorkflowsErrorCode.InvalidWorkflow);
}

export function member(parent: string, key: string): string {
  return parent === '' ? key : `${parent}.${key}`;
}

export function item(parent: string, index: number): string {
  return `${parent}[${index}]`;
}

/** "null", "array", or typeof. */
export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

export function has(object: Record<string, unknown>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(object, key);
}

/** A plain object holding only `allowed` keys; else a 400 naming the first unknown key (all in details.unknown). */
export function expectObject(
  value: unknown,
  field: string,
  allowed: readonly string[],
): Record<string, unknown> {
  if (!isPlainObject(value)) throw invalidWorkflow(field, `must be an object, not ${typeName(value)}`);
  const unknown = Object.keys(value).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) {
    const names = unknown.map((key) => `"${key}"`).join(', ');
    throw invalidWorkflow(
      member(field, unknown[0] ?? ''),
      `unknown ${unknown.length === 1 ? 'property' : 'properties'} ${names} (allowed: ${allowed.join(', ')})`,
      { unknown, allowed: [...allowed] },
    );
  }
  return value;
}

/** Requires the key to be present (and not undefined). */
export function required(object: Record<string, unknown>, key: string, field: string): unknown {
  const value = object[key];
  if (!has(object, key) || value === undefined) throw invalidWorkflow(member(field, key), 'is required');
  return value;
}

export function expectString(
  value: unknown,
  field: string,
  limits: { min?: number; max?: number } = {},
): string {
  if (typeof value !== 'string') throw invalidWorkflow(field, `must be a string, not ${typeName(value)}`);
  const length = [...value].length;
  const min = limits.min ?? 0;
  if (length < min) {
    throw invalidWorkflow(field, min === 1 ? 'must not be empty' : `must be at least ${min} characters`);
  }
  if (limits.max !== undefined && length > limits.max) {
    throw invalidWorkflow(field, `must be at most ${limits.max} characters (has ${length})`);
  }
  return value;
}

export function expectBoolean(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') throw invalidWorkflow(field, `must be a boolean, not ${typeName(value)}`);
  return value;
}

export function expectInteger(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw invalidWorkflow(
      field,
      `must be an integer, not ${typeName(value) === 'number' ? String(value) : typeName(value)}`,
    );
  }
  if (value < min || value > max)
    throw invalidWorkflow(field, `must be between ${min} and ${max} (is ${value})`);
  return value;
}

export function expectArray(
  value: unknown,
  field: string,
  limits: { min?: number; max?: number } = {},
): unknown[] {
  if (!Array.isArray(value)) throw invalidWorkflow(field, `must be an array, not ${typeName(value)}`);
  const min = limits.min ?? 0;
  if (value.length < min) {
    throw invalidWorkflow(field, min === 1 ? 'must not be empty' : `must have at least ${min} entries`);
  }
  if (limits.max !== undefined && value.length > limits.max) {
    throw invalidWorkflow(field, `must have at most ${limits.max} entries (has ${value.length})`);
  }
  return value as unknown[];
}

/** A non-empty array of strings, each checked (and possibly normalised) by `check`. */
export function expectList(
  value: unknown,
  field: string,
  check: (entry: unknown, field: string) => string,
  limits: { min?: number; max?: number } = { min: 1 },
): string[] {
  return expectArray(value, field, limits).map((entry, index) => check(entry, item(field, index)));
}

/** A path glob picomatch compiles (balanced brackets), as subscription-rules.ts checks it. */
export function expectGlob(value: unknown, field: string): string {
  const glob = expectString(value, field, { min: 1, max: 1000 });
  try {
    // strictBrackets: an unbalanced [ ] ( ) { } is an error, not a literal; debug: a bad regex throws.
    picomatch.makeRe(glob, { strictBrackets: true, debug: true, windows: false });
  } catch (error) {
    throw invalidWorkflow(field, `not a valid path glob (${(error as Error).message})`);
  }
  return glob;
}

const SUBJECT = /^[a-z_]+:[^\s]+$/;

/** A subject `type:id`, e.g. `user:42`. */
export function expectSubject(value: unknown, field: string): string {
  const subject = expectString(value, field, { min: 1, max: 300 });
  if (!SUBJECT.test(subject))
    throw invalidWorkflow(field, `must be a subject "type:id" (e.g. user:42), not "${subject}"`);
  return subject;
}

export type Scalar = string | number | boolean | null;

export function expectScalar(value: unknown, field: string): Scalar {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  throw invalidWorkflow(field, `must be a string, finite number, boolean or null, not ${typeName(value)}`);
}
