import { compileGrep } from './grep-pattern';
import { grepContent, looksBinary, type GrepContentOptions } from './grep-lines';

const grep = (text: string | Buffer, pattern: string, options: GrepContentOptions = {}) =>
  grepContent(Buffer.isBuffer(text) ? text : Buffer.from(text), compileGrep(pattern, options), options);
const lines = (text: string, pattern: string, options: GrepContentOptions = {}) =>
  grep(text, pattern, options).matches.map((m) => [m.line, m.column, m.text]);

describe('grepContent', () => {
  it('reports 1-based lines and byte columns', () => {
    expect(lines('xx\nab foo\nαβ foo\n', 'foo')).toEqual([
      [2, 4, 'ab foo'],
      [3, 6, 'αβ foo'],
    ]);
  });

  it('keeps \\r in the line and does not match $ before it (no --crlf)', () => {
    expect(lines('a foo\r\nb\r\n', 'foo$')).toEqual([]);
    expect(lines('a foo\r\nb\r\n', 'foo')).toEqual([[1, 3, 'a foo\r']]);
  });

  it('has no line after a final newline and one without it', () => {
    expect(lines('a\nb\n', '^')).toEqual([
      [1, 1, 'a'],
      [2, 1, 'b'],
    ]);
    expect(lines('a\n\nb', '^$')).toEqual([[2, 1, '']]);
    expect(lines('', '^')).toEqual([]);
    expect(lines('\n', '^$')).toEqual([[1, 1, '']]);
  });

  it('inverts with column 1, including empty lines', () => {
    expect(lines('foo\n\nbar\nfoo', 'foo', { invert: true })).toEqual([
      [2, 1, ''],
      [3, 1, 'bar'],
    ]);
  });

  it('lists each match its own context, clipped to the file', () => {
    const res = grep('1\n2 x\n3 x\n4\n5', 'x', { contextBefore: 2, contextAfter: 1 }).matches;
    expect(res.map((m) => [m.line, m.before, m.after])).toEqual([
      [2, ['1'], ['3 x']],
      [3, ['1', '2 x'], ['4']],
    ]);
    const end = grep('a\nb x\n', 'x', { contextAfter: 3, contextBefore: 5 }).matches;
    expect(end.map((m) => [m.before, m.after])).toEqual([[['a'], []]]);
    const emptyFirst = grep('\nx', 'x', { contextBefore: 2 }).matches;
    expect(emptyFirst.map((m) => m.before)).toEqual([['']]);
  });

  it('stops at maxMatches and says whether more existed', () => {
    expect(grep('a\na\na\n', 'a', { maxMatches: 2 })).toMatchObject({
      truncated: true,
      matches: [{ line: 1 }, { line: 2 }],
    });
    expect(grep('a\na\n', 'a', { maxMatches: 2 }).truncated).toBe(false);
    expect(grep('a\nb\nc\n', 'a', { maxMatches: 1, invert: true })).toMatchObject({
      truncated: true,
      matches: [{ line: 2 }],
    });
    expect(grep('a\n', 'a', { maxMatches: 0 })).toEqual({ matches: [], truncated: true });
  });

  it('decodes invalid UTF-8 with replacement characters but counts raw bytes', () => {
    const res = grep(Buffer.from([0x66, 0xff, 0x20, 0x78, 0x0a]), 'x').matches;
    expect(res).toEqual([{ line: 1, column: 4, text: 'f\ufffd x', before: [], after: [] }]);
    // E0 80 is two replacement characters, F0 90 80 one, a real U+FFFD three bytes.
    const raw = Buffer.concat([
      Buffer.from('ok\n\ufffd'),
      Buffer.from([0xe0, 0x80, 0xf0, 0x90, 0x80, 0x41, 0x78]),
    ]);
    expect(grep(raw, 'x').matches.map((m) => m.column)).toEqual([3 + 5 + 1 + 1]);
  });

  it('matches -w words only between non-word characters (Unicode-aware)', () => {
    expect(lines('foo fooé foo_ (foo)', 'foo', { wordRegexp: true })).toEqual([
      [1, 1, 'foo fooé foo_ (foo)'],
    ]);
    expect(lines('fooé foo_ (foo)', 'foo', { wordRegexp: true })).toEqual([[1, 13, 'fooé foo_ (foo)']]);
  });

  it('finds regex matches on many lines (block narrowing)', () => {
    const text = Array.from({ length: 1000 }, (_, i) =>
      i % 97 === 0 ? `line ${i} hit42` : `line ${i}`,
    ).join('\n');
    const res = grep(text, 'hit\\d+').matches;
    expect(res.map((m) => m.line)).toEqual(Array.from({ length: 11 }, (_, k) => k * 97 + 1));
    expect(res[1]?.column).toBe('line 97 '.length + 1);
  });
});

describe('looksBinary', () => {
  it('sees a NUL in the first 8 KB only', () => {
    expect(looksBinary(Buffer.from('plain text\n'))).toBe(false);
    expect(looksBinary(Buffer.from('a\0b'))).toBe(true);
    expect(looksBinary(Buffer.concat([Buffer.alloc(8192, 0x61), Buffer.from([0])]))).toBe(false);
  });
});
