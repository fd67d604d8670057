import picomatch from 'picomatch';
import { compileGlob, InvalidGlobError, MAX_GLOB_LENGTH } from './glob-query';

function reasonOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidGlobError);
    return (error as InvalidGlobError).reason;
  }
  throw new Error('expected an InvalidGlobError');
}

describe('compileGlob rangePrefix', () => {
  it.each([
    ['src/lib/*.ts', '/', '/src/lib/'],
    ['lib/*.ts', '/src', '/src/lib/'],
    ['*.ts', '/src', '/src/'],
    ['**/x', '/src', '/src/'],
    ['**', '/', '/'],
    ['!lib/**', '/src', '/src/'],
    ['!(x)', '/', '/'],
    ['lib/**', '/src', '/src/lib'], // "lib/**" matches "lib" itself
    ['lib/**/a.ts', '/src', '/src/lib'],
    ['foo*.ts', '/src', '/src/foo'],
    ['a.b', '/', '/a.b'], // no glob syntax: the whole path
    ['dir with spaces/file one.md', '/docs', '/docs/dir with spaces/file one.md'],
    ['./lib/*.ts', '/src', '/src/'],
    ['a(1).txt', '/', '/a'],
    ['a+b.txt', '/', '/a'],
    ['a$b/*', '/', '/a'],
    ['"quoted name"*', '/docs', '/docs/'],
    ['x\\*y', '/', '/x'],
    ['a/{b,c}/d', '/', '/a/'],
    ['a/[bc]/d', '/', '/a/'],
    ['a/?', '/', '/a/'],
    ['a/+(b|c)', '/', '/a/'],
    ['a/@(b|c)', '/', '/a/'],
    ['a/!(b)', '/', '/a/'],
    ['日本語/*', '/', '/日本語/'],
    ['x/*', '/we[i]rd (dir)+$', '/we[i]rd (dir)+$/x/'],
  ])('%j under %j starts with %j', (pattern, basePath, rangePrefix) => {
    expect(compileGlob(pattern, { basePath }).rangePrefix).toBe(rangePrefix);
  });
});

describe('compileGlob regex', () => {
  it('anchors at the base path and escapes its regex syntax', () => {
    expect(compileGlob('*', { basePath: '/' }).regex.startsWith('^/(?:')).toBe(true);
    expect(compileGlob('*', { basePath: '/src' }).regex.startsWith('^/src/(?:')).toBe(true);
    expect(
      compileGlob('*', { basePath: '/a.b(c)[d]+$' }).regex.startsWith('^/a\\.b\\(c\\)\\[d\\]\\+\\$/(?:'),
    ).toBe(true);
  });

  it('honours the dot option', () => {
    expect(compileGlob('*', { basePath: '/' }).regex).not.toBe(
      compileGlob('*', { basePath: '/', dot: true }).regex,
    );
    expect(compileGlob('*', { basePath: '/', dot: false }).regex).toBe(
      compileGlob('*', { basePath: '/' }).regex,
    );
  });

  it('stays valid JavaScript for the constructs PostgreSQL and JavaScript share', () => {
    // A JS parse is a cheap smoke test; the int-spec runs the real thing in PostgreSQL.
    const re = new RegExp(compileGlob('**/*.{ts,js}', { basePath: '/src' }).regex);
    expect(re.test('/src/a/b.ts')).toBe(true);
    expect(re.test('/src/.a/b.ts')).toBe(false);
    expect(re.test('/srcx/b.ts')).toBe(false);
    expect(re.test('/src')).toBe(false);
  });

  it('matches the pattern verbatim, like picomatch does', () => {
    // picomatch reads "(1)" as a group, but also accepts a path equal to the pattern.
    expect(picomatch('a(1).txt')('a(1).txt')).toBe(true);
    const re = new RegExp(compileGlob('a(1).txt', { basePath: '/' }).regex);
    expect(re.test('/a(1).txt')).toBe(true);
    expect(re.test('/a1.txt')).toBe(true);
  });

  it('replaces "." by a class without line terminators, as JavaScript reads it', () => {
    expect(compileGlob('**', { basePath: '/' }).regex).toContain('[^\\n\\r\\u2028\\u2029]');
  });

  it('accepts a pattern of exactly the maximum length', () => {
    expect(() => compileGlob('a'.repeat(MAX_GLOB_LENGTH), { basePath: '/' })).not.toThrow();
  });
});

describe('compileGlob errors', () => {
  it('is an Error with a reason in its message', () => {
    const error = new InvalidGlobError('some reason');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('InvalidGlobError');
    expect(error.message).toContain('some reason');
  });

  it.each([
    ['', /^pattern is empty$/],
    ['a'.repeat(MAX_GLOB_LENGTH + 1), /^pattern is 1001 characters long, the limit is 1000$/],
    ['[abc', /^unbalanced brackets: Missing closing: "\]"/],
    ['a]', /^unbalanced brackets: Missing opening: "\["/],
    ['{a,b', /^unbalanced brackets: Missing closing: "\}"/],
    ['+(a|b', /^unbalanced brackets: Missing closing: "\)"/],
    ['a)', /^unbalanced brackets: Missing opening: "\("/],
    ['a\\', /^pattern ends with an unescaped backslash$/],
    ['"abc', /^pattern has an unbalanced double quote/],
    ['/abs/*', /^pattern starts with "\/"; patterns are relative to the base path$/],
    ['!/abs', /^pattern starts with "\/"/],
    ['a\0b', /^pattern contains a NUL character$/],
    ['\uD800x', /^pattern contains an unpaired UTF-16 surrogate$/],
    ['[[:foo:]]', /^unknown POSIX class \[:foo:\]$/],
    ['file{1..10}', /^brace range \{1\.\.10\}: only single-character ranges/],
    ['v{01..03}', /^brace range \{01\.\.03\}/],
    ['[z-a]', /^picomatch builds an invalid regular expression: .*Range out of order/],
    ['a\\b', /^the regex escape \\b cannot be translated to a PostgreSQL regular expression$/],
    ['[\\s]*', /^the regex escape \\s cannot be translated/],
    ['(a)\\1', /^the regex escape \\1 cannot be translated/],
    ['[😀]', /^a non-BMP character \(e\.g\. an emoji\) inside \[\.\.\.\] cannot be translated/],
    ['(?<=a)b', /^a regex lookbehind "\(\?<=" or "\(\?<!" cannot be translated/],
    ['(😀+)', /^a quantifier after a non-BMP character cannot be translated/],
  ])('rejects %j', (pattern, reason) => {
    expect(reasonOf(() => compileGlob(pattern, { basePath: '/' }))).toMatch(reason);
  });

  it.each(['', 'src', '/src/', '//', '/a//b', 'relative/x', '/a\0'])(
    'rejects the basePath %j',
    (basePath) => {
      expect(reasonOf(() => compileGlob('*', { basePath }))).toBe(
        `basePath ${JSON.stringify(basePath)} must be "/" or an absolute path without a trailing slash`,
      );
    },
  );
});
