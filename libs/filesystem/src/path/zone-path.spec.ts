import fc from 'fast-check';
import { ValidationError } from '@nexus/core';
import type { PathRule } from './zone-path';
import {
  baseName,
  isAncestor,
  isValidPath,
  joinPath,
  normalizePath,
  parentPath,
  pathSegments,
  ROOT_PATH,
} from './zone-path';

function ruleOf(run: () => unknown): PathRule | 'no error' {
  try {
    run();
    return 'no error';
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    const e = error as ValidationError;
    expect(e.code).toBe('INVALID_PATH');
    expect(e.status).toBe(400);
    return e.details?.['rule'] as PathRule;
  }
}

describe('normalizePath', () => {
  it('accepts the root and canonical absolute paths unchanged', () => {
    expect(normalizePath('/')).toBe('/');
    expect(normalizePath('/a')).toBe('/a');
    expect(normalizePath('/docs/report v2.final.txt')).toBe('/docs/report v2.final.txt');
    expect(normalizePath('/.hidden/...dots/a..b')).toBe('/.hidden/...dots/a..b');
  });

  it('normalises Unicode to NFC', () => {
    const decomposed = '/cafe\u0301';
    expect(normalizePath(decomposed)).toBe('/caf\u00e9');
    expect(normalizePath(decomposed)).toHaveLength(5);
  });

  it.each<[string, unknown, PathRule]>([
    ['a non-string', 42, 'not-a-string'],
    ['an empty string', '', 'not-absolute'],
    ['a relative path', 'a/b', 'not-absolute'],
    ['a double slash', '/a//b', 'empty-segment'],
    ['a leading double slash', '//a', 'empty-segment'],
    ['a trailing slash', '/a/', 'empty-segment'],
    ['a ".." segment', '/a/../b', 'dot-segment'],
    ['a trailing ".."', '/a/..', 'dot-segment'],
    ['a "." segment', '/./a', 'dot-segment'],
    ['a NUL', '/a\u0000b', 'control-character'],
    ['a newline', '/a\nb', 'control-character'],
    ['DEL', '/a\u007f', 'control-character'],
    ['a C1 control', '/a\u0085', 'control-character'],
    ['a lone surrogate', '/a\ud800', 'malformed-unicode'],
    ['a 256-byte segment', `/${'x'.repeat(256)}`, 'segment-too-long'],
    ['a segment of 86 three-byte characters (258 bytes)', `/${'€'.repeat(86)}`, 'segment-too-long'],
    ['a 4097-byte path', `/${Array.from({ length: 17 }, () => 'y'.repeat(240)).join('/')}`, 'path-too-long'],
  ])('rejects %s', (_label, input, rule) => {
    expect(ruleOf(() => normalizePath(input))).toBe(rule);
  });

  it('names the failed rule in the message', () => {
    expect(() => normalizePath('/a/../b')).toThrow(
      'Invalid path: a path must not contain "." or ".." segments',
    );
  });

  it('accepts the limits exactly', () => {
    expect(ruleOf(() => normalizePath(`/${'x'.repeat(255)}`))).toBe('no error');
    expect(ruleOf(() => normalizePath(`/${'€'.repeat(85)}`))).toBe('no error');
    const exact = `/${Array.from({ length: 16 }, () => 'y'.repeat(255)).join('/')}`;
    expect(Buffer.byteLength(exact)).toBe(4096);
    expect(ruleOf(() => normalizePath(exact))).toBe('no error');
  });

  it('accepts surrogate pairs (astral characters)', () => {
    expect(normalizePath('/\u{1F600}')).toBe('/\u{1F600}');
  });

  it('isValidPath answers without throwing', () => {
    expect(isValidPath('/a')).toBe(true);
    expect(isValidPath('/a/../b')).toBe(false);
    expect(isValidPath(null)).toBe(false);
  });
});

describe('path helpers', () => {
  it('parentPath and baseName', () => {
    expect(parentPath('/')).toBeNull();
    expect(parentPath('/a')).toBe('/');
    expect(parentPath('/a/b/c')).toBe('/a/b');
    expect(baseName('/')).toBe('');
    expect(baseName('/a/b/c.txt')).toBe('c.txt');
    expect(pathSegments('/')).toEqual([]);
    expect(pathSegments('/a/b')).toEqual(['a', 'b']);
  });

  it('joinPath appends segments and validates them', () => {
    expect(joinPath('/', 'a')).toBe('/a');
    expect(joinPath('/a', 'b/c', 'd')).toBe('/a/b/c/d');
    expect(joinPath('/a')).toBe('/a');
    expect(ruleOf(() => joinPath('/a', '..'))).toBe('dot-segment');
    expect(ruleOf(() => joinPath('/a', 'b//c'))).toBe('empty-segment');
    expect(ruleOf(() => joinPath('/a', ''))).toBe('empty-segment');
    expect(ruleOf(() => joinPath('a', 'b'))).toBe('not-absolute');
    expect(ruleOf(() => joinPath('/a', 'b\u0000'))).toBe('control-character');
  });

  it('isAncestor is strict and segment-aware', () => {
    expect(isAncestor('/', '/a')).toBe(true);
    expect(isAncestor('/a', '/a/b/c')).toBe(true);
    expect(isAncestor('/a', '/a')).toBe(false);
    expect(isAncestor('/', '/')).toBe(false);
    expect(isAncestor('/a', '/ab')).toBe(false);
    expect(isAncestor('/a/b', '/a')).toBe(false);
  });
});

describe('path properties', () => {
  const segmentChar = fc.oneof(
    fc.constantFrom('a', 'b', '.', '-', ' ', 'é', 'e\u0301', '€', '\u{1F600}'),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
  );
  const segment = fc.array(segmentChar, { minLength: 1, maxLength: 12 }).map((chars) => chars.join(''));
  const candidate = fc.array(segment, { maxLength: 8 }).map((segments) => `/${segments.join('/')}`);
  const accepted = candidate.filter(isValidPath).map(normalizePath);

  it('normalising is idempotent', () => {
    fc.assert(
      fc.property(candidate, (input) => {
        fc.pre(isValidPath(input));
        const once = normalizePath(input);
        expect(normalizePath(once)).toBe(once);
      }),
    );
  });

  it('every accepted non-root path round-trips through joinPath(parentPath, baseName)', () => {
    fc.assert(
      fc.property(accepted, (path) => {
        fc.pre(path !== ROOT_PATH);
        expect(joinPath(parentPath(path) ?? ROOT_PATH, baseName(path))).toBe(path);
        expect(isAncestor(parentPath(path) ?? ROOT_PATH, path)).toBe(true);
      }),
    );
  });

  it('no accepted path has dot segments, empty segments or control characters', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          candidate,
          fc.string({ unit: 'binary' }).map((s) => `/${s}`),
        ),
        (input) => {
          fc.pre(isValidPath(input));
          const path = normalizePath(input);
          expect(path.startsWith('/')).toBe(true);
          for (const s of pathSegments(path)) {
            expect(['', '.', '..']).not.toContain(s);
            expect(Buffer.byteLength(s)).toBeLessThanOrEqual(255);
          }
          expect(path).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
          expect(Buffer.byteLength(path)).toBeLessThanOrEqual(4096);
        },
      ),
    );
  });

  it('random input never throws anything but ValidationError(INVALID_PATH)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary' }),
          fc.string({ unit: 'binary' }).map((s) => `/${s}`),
          fc.anything(),
        ),
        (input) => {
          try {
            normalizePath(input);
          } catch (error) {
            expect(error).toBeInstanceOf(ValidationError);
            expect((error as ValidationError).code).toBe('INVALID_PATH');
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
