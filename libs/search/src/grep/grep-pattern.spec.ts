import { compileGrep, InvalidPatternError, type GrepOptions, type LiteralQuery } from './grep-pattern';

/** Compact form: "lit", and(...), or(...), * for any. */
function show(q: LiteralQuery): string {
  if (q.kind === 'any') return '*';
  if (q.kind === 'literal') return JSON.stringify(q.bytes.toString('utf8'));
  return `${q.kind}(${q.of.map(show).join(', ')})`;
}

const required = (pattern: string, options: GrepOptions = {}): string =>
  show(compileGrep(pattern, options).required);

describe('compileGrep required literals', () => {
  it.each<[string, GrepOptions, string]>([
    ['foo', {}, '"foo"'],
    ['Foo', {}, '"Foo"'],
    ['foo|bar', {}, 'or("foo", "bar")'],
    ['fo+bar', {}, 'and("fo", "bar")'],
    ['colou?r', {}, 'or("color", "colour")'],
    ['ab[cd]ef', {}, 'or("abcef", "abdef")'],
    ['ab[c-z]ef', {}, 'and("ab", "ef")'],
    ['a.b', {}, 'and("a", "b")'],
    ['foo.*bar', {}, 'and("foo", "bar")'],
    ['foo\\w+bar', {}, 'and("foo", "bar")'],
    ['(foo|bar)baz\\d', {}, 'or("foobaz", "barbaz")'],
    // A non-exact alternative stops the expansion: each side keeps its own literals.
    ['(foo|ba.)baz', {}, 'and(or("foo", "ba"), "baz")'],
    ['x*', {}, '*'],
    ['(abc)*def', {}, '"def"'],
    ['(abc)?def', {}, 'or("def", "abcdef")'],
    ['(abc){0,}def', {}, '"def"'],
    ['(abc)+', {}, '"abc"'],
    ['a{3}b', {}, '"aaab"'],
    ['x{2,5}y', {}, 'and("xx", "y")'],
    ['[a-z]+ing', {}, '"ing"'],
    ['\\bfunction\\s+\\w+\\(', {}, 'and("function", "(")'],
    ['^import .* from$', {}, 'and("import ", " from")'],
    ['foo|.*', {}, '*'],
    ['[^a]bc', {}, '"bc"'],
    ['\\p{Greek}+λόγος', {}, '"λόγος"'],
    ['a\\.b\\x41\\t', {}, '"a.bA\\t"'],
    ['\\Qa.b\\E+', {}, '"a.b"'],
    ['a.b', { literal: true }, '"a.b"'],
    ['(x', { literal: true }, '"(x"'],
    ['foo', { wordRegexp: true }, '"foo"'],
    ['foo', { invert: true }, '*'],
    // Case folding: ASCII lowered; k and s also match KELVIN SIGN and LONG S.
    ['HeLLo', { ignoreCase: true }, '"hello"'],
    ['key', { ignoreCase: true }, 'or("key", "\u212aey")'],
    ['(?i)Foo', {}, '"foo"'],
    ['(?i:AB)CD', {}, '"abCD"'],
    ['Héllo', { ignoreCase: true }, 'and("h", "llo")'],
    ['日本語', { ignoreCase: true }, '"日本語"'],
    ['[Ab]c', { ignoreCase: true }, 'or("ac", "bc")'],
    // U+FFFD also stands for undecodable bytes, so it never counts as a literal.
    ['a\ufffdb', {}, 'and("a", "b")'],
  ])('%s %j -> %s', (pattern, options, expected) => {
    expect(required(pattern, options)).toBe(expected);
  });

  it('caps the expansion of concatenated classes', () => {
    // 2^5 combinations exceed the cap: the literal is cut where it would overflow.
    expect(required('[ab][cd][ef][gh][ij]')).toBe(
      'and(or("aceg", "aceh", "acfg", "acfh", "adeg", "adeh", "adfg", "adfh", "bceg", "bceh", "bcfg", "bcfh", "bdeg", "bdeh", "bdfg", "bdfh"), or("i", "j"))',
    );
  });

  it('gives literal bytes as UTF-8', () => {
    const q = compileGrep('é', {}).required;
    expect(q).toEqual({ kind: 'literal', bytes: Buffer.from([0xc3, 0xa9]) });
  });
});

describe('compileGrep errors', () => {
  const reason = (pattern: string, options: GrepOptions = {}): string => {
    try {
      compileGrep(pattern, options);
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidPatternError);
      return (e as InvalidPatternError).reason;
    }
    throw new Error(`no error for ${pattern}`);
  };

  it.each([
    ['(a)\\1', 'backreferences (\\1) are not supported by the linear-time engine'],
    ['(?P<x>a)(?P=x)', 'backreferences (?P=name) are not supported by the linear-time engine'],
    ['(?=x)', 'lookaround (?=...) is not supported'],
    ['a(?!x)', 'lookaround (?!...) is not supported'],
    ['(?<!y)x', 'lookaround (?<!...) is not supported'],
    ['(?<=y)x', 'lookaround (?<=...) is not supported'],
    ['[', 'missing closing ]: `[`'],
    ['(ab', 'missing closing ): `(ab`'],
    ['ab)', 'unexpected ): `ab)`'],
    ['a**', 'invalid nested repetition operator: `**`'],
    ['x{1001}', 'invalid repeat count: `{1001}`'],
    ['a\\nb', 'the literal \'"\\n"\' is not allowed in a regex'],
  ])('%s -> %s', (pattern, expected) => {
    expect(reason(pattern)).toBe(expected);
  });

  it('rejects patterns over 4 KB', () => {
    expect(reason('x'.repeat(4097))).toBe('pattern is longer than 4096 bytes');
    expect(() => compileGrep('x'.repeat(4096), {})).not.toThrow();
  });

  it('takes backslashes literally with literal', () => {
    expect(() => compileGrep('(a)\\1', { literal: true })).not.toThrow();
  });
});

describe('compileGrep matcher', () => {
  const finds = (pattern: string, text: string, options: GrepOptions = {}): boolean =>
    compileGrep(pattern, options).matcher.matcher(text).find();

  it('uses Unicode \\d \\w \\s like rg', () => {
    expect(finds('^\\d$', '٣')).toBe(true);
    expect(finds('^\\w+$', 'école')).toBe(true);
    expect(finds('^a\\sb$', 'a\u00a0b')).toBe(true);
    expect(finds('^[\\Wx]$', 'é')).toBe(false);
    expect(finds('^[\\Wx]$', '-')).toBe(true);
    expect(compileGrep('\\w+', {}).fallback).toBe(false);
  });

  it('never lets a class match the line terminator', () => {
    expect(finds('a\\sb', 'a\nb')).toBe(false);
    expect(finds('a[^x]b', 'a\nb')).toBe(false);
    expect(finds('a\\Wb', 'a\nb')).toBe(false);
    expect(finds('a[\\x00-\\x7f]b', 'a\nb')).toBe(false);
  });

  it('folds case with -i, including KELVIN SIGN', () => {
    expect(finds('key', 'K\u212aY', { ignoreCase: true })).toBe(false);
    expect(finds('key', '\u212aEY', { ignoreCase: true })).toBe(true);
  });
});
