import { ValidationError } from '@nexus/core';
import { FsErrorCode } from '../filesystem.errors';

/**
 * Zone-relative absolute POSIX paths. A path is
 * accepted only in its canonical form: it starts with `/`, is NFC-normalised,
 * and has no empty, `.` or `..` segments, no control characters, no segment
 * over 255 UTF-8 bytes and no more than 4096 UTF-8 bytes in all. `/` is the root.
 */
export const ROOT_PATH = '/';
export const MAX_PATH_BYTES = 4096;
export const MAX_SEGMENT_BYTES = 255;

export type PathRule =
  | 'not-a-string'
  | 'not-absolute'
  | 'malformed-unicode'
  | 'control-character'
  | 'path-too-long'
  | 'empty-segment'
  | 'dot-segment'
  | 'segment-too-long'
  | 'not-indexable';

const RULE_MESSAGES: Record<PathRule, string> = {
  'not-a-string': 'a path must be a string',
  'not-absolute': 'a path must start with "/"',
  'malformed-unicode': 'a path must be well-formed Unicode (no lone surrogates)',
  'control-character': 'a path must not contain NUL or other control characters',
  'path-too-long': `a path must be at most ${MAX_PATH_BYTES} bytes (UTF-8)`,
  'empty-segment': 'a path must not contain empty segments ("//" or a trailing "/")',
  'dot-segment': 'a path must not contain "." or ".." segments',
  'segment-too-long': `a path segment must be at most ${MAX_SEGMENT_BYTES} bytes (UTF-8)`,
  'not-indexable':
    'this path is too long for the path index: PostgreSQL limits an index entry to 2704 bytes after ' +
    'compression, and a path (or its parent directory with the name) that does not compress below that is refused',
};

// C0 controls, DEL and C1 controls.
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/u;
// With the `u` flag a surrogate pair is one code point, so this matches lone surrogates only.
const LONE_SURROGATE = /\p{Cs}/u;

export function invalidPath(rule: PathRule): ValidationError {
  return new ValidationError(`Invalid path: ${RULE_MESSAGES[rule]}`, { rule }, FsErrorCode.InvalidPath);
}

function checkSegment(segment: string): void {
  if (segment === '') throw invalidPath('empty-segment');
  if (segment === '.' || segment === '..') throw invalidPath('dot-segment');
  if (Buffer.byteLength(segment, 'utf8') > MAX_SEGMENT_BYTES) throw invalidPath('segment-too-long');
}

/** Validates `input` and returns its canonical (NFC) form; throws ValidationError(INVALID_PATH) naming the failed rule. */
export function normalizePath(input: unknown): string {
  if (typeof input !== 'string') throw invalidPath('not-a-string');
  if (!input.startsWith('/')) throw invalidPath('not-absolute');
  if (LONE_SURROGATE.test(input)) throw invalidPath('malformed-unicode');
  if (CONTROL_CHARACTER.test(input)) throw invalidPath('control-character');
  const path = input.normalize('NFC');
  if (Buffer.byteLength(path, 'utf8') > MAX_PATH_BYTES) throw invalidPath('path-too-long');
  if (path === ROOT_PATH) return path;
  for (const segment of path.slice(1).split('/')) checkSegment(segment);
  return path;
}

export function isValidPath(input: unknown): boolean {
  try {
    normalizePath(input);
    return true;
  } catch {
    return false;
  }
}

export function isRoot(path: string): boolean {
  return normalizePath(path) === ROOT_PATH;
}

/** The segments of a path; `[]` for the root. */
export function pathSegments(path: string): string[] {
  const normalized = normalizePath(path);
  return normalized === ROOT_PATH ? [] : normalized.slice(1).split('/');
}

/** The parent directory of a path; the root has none and yields `null`. */
export function parentPath(path: string): string | null {
  const normalized = normalizePath(path);
  if (normalized === ROOT_PATH) return null;
  const cut = normalized.lastIndexOf('/');
  return cut === 0 ? ROOT_PATH : normalized.slice(0, cut);
}

/** The last segment of a path; `''` for the root. */
export function baseName(path: string): string {
  const normalized = normalizePath(path);
  return normalized.slice(normalized.lastIndexOf('/') + 1);
}

/** Appends relative segments (`'a'`, `'a/b'`) to a directory path; the result is validated as a whole. */
export function joinPath(directory: string, ...relative: string[]): string {
  const base = normalizePath(directory);
  const segments = relative.flatMap((part) => part.split('/'));
  if (segments.length === 0) return base;
  for (const segment of segments) checkSegment(segment.normalize('NFC'));
  return normalizePath(`${base === ROOT_PATH ? '' : base}/${segments.join('/')}`);
}

/** True when `ancestor` is a strict ancestor of `descendant` (a path is not its own ancestor). */
export function isAncestor(ancestor: string, descendant: string): boolean {
  const a = normalizePath(ancestor);
  const d = normalizePath(descendant);
  if (a === d) return false;
  return a === ROOT_PATH || d.startsWith(`${a}/`);
}
