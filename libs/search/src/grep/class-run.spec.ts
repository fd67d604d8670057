import { RE2JS } from 're2js';
import { findClassRun, findClassRunInBytes, necessaryClassRun } from './class-run';
import { grepContent, type GrepContentOptions } from './grep-lines';
import { compileGrep } from './grep-pattern';
import { parseRegex } from './regex-syntax';

const runOf = (pattern: string, fold = false) => necessaryClassRun(parseRegex(pattern, fold).node);

/** Members of each class of the run, as strings of ASCII characters. */
function classes(pattern: string, fold = false): string[] | null {
  const run = runOf(pattern, fold);
  if (!run) return null;
  return Array.from({ length: run.length }, (_, i) => {
    let members = '';
    for (let c = 0; c < 128; c++) if ((run.masks[c] as number) & (1 << i)) members += String.fromCharCode(c);
    return members;
  });
}

const DIGITS = '0123456789';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = UPPER.toLowerCase();

describe('necessaryClassRun', () => {
  it('reads fixed repeats and classes in a row', () => {
    expect(classes('[A-Z][a-z]{2}[0-9]{5}[a-z]')).toEqual([
      UPPER,
      LOWER,
      LOWER,
      ...Array(5).fill(DIGITS),
      LOWER,
    ]);
  });

  it('continues across zero-width assertions and groups, stops at optional parts', () => {
    expect(classes('\\bid[0-9]{3}\\b')).toEqual(['i', 'd', DIGITS, DIGITS, DIGITS]);
    expect(classes('(?:ab){2}x?[0-9]{2}')).toEqual(['a', 'b', 'a', 'b']);
    // x{2,} starts and ends with xx.
    expect(classes('q[0-9]{2,}z')).toEqual(['q', DIGITS, DIGITS]);
  });

  it('unites alternatives class by class', () => {
    expect(classes('(foo|bar)[0-9]{2}')).toEqual(['bf', 'ao', 'or', DIGITS, DIGITS]);
    // Different lengths: the alternatives' last classes line up with what follows.
    expect(classes('(ab|cde)[0-9]{3}')).toEqual(['ad', 'be', DIGITS, DIGITS, DIGITS]);
    expect(classes('[0-9]{3}(ab|cde)')).toEqual([DIGITS, DIGITS, DIGITS, 'ac', 'bd']);
  });

  it('folds ASCII letters, but k and s fold to non-ASCII characters', () => {
    expect(classes('(?i)q[0-9]{2}')).toEqual(['Qq', DIGITS, DIGITS]);
    expect(classes('k[0-9]{2}', true)).toEqual([DIGITS, DIGITS]);
    expect(classes('(?i)[a-z]{3}')).toBeNull();
  });

  it('has none when every class is non-ASCII, optional or too common', () => {
    for (const pattern of ['\\w+', '\\d{5}', '.*', 'a?', 'x*', '[é]{4}', '[a-z]', '(a|)b?', '[^a][^b][^c]'])
      expect({ pattern, run: classes(pattern) }).toEqual({ pattern, run: null });
  });

  it('keeps at most 30 classes of long runs', () => {
    expect(runOf('[0-9]{100}')?.length).toBe(30);
    expect(runOf('x{1000}y')?.length).toBe(30);
    expect(runOf('(?:ab){40}')?.length).toBe(30);
  });

  it('matches re2js: no ASCII character but k and s folds to a non-ASCII one', () => {
    let others = '';
    for (let cp = 0x80; cp <= 0x10ffff; cp++)
      if (cp < 0xd800 || cp > 0xdfff) others += String.fromCodePoint(cp);
    const folds = (members: string) => RE2JS.compile(`(?i)[${members}]`).test(others);
    expect(folds('\\x{00}-\\x{09}\\x{0B}-JL-RT-jl-rt-\\x{7F}')).toBe(false);
    for (const letter of 'kKsS') expect({ letter, folds: folds(letter) }).toEqual({ letter, folds: true });
  });
});

describe('finding the run', () => {
  const run = runOf('[A-Z][0-9]{2}')!;
  it('finds it in text and bytes alike, never across lines or non-ASCII characters', () => {
    for (const [text, at] of [
      ['A12', 0],
      ['xxA12', 2],
      ['A1\n2 B3é4 C9', -1],
      ['é€😀Z99', 4],
      ['', -1],
    ] as const) {
      expect({ text, at: findClassRun(text, run, 0, text.length) }).toEqual({ text, at });
      const bytes = Buffer.from(text);
      const held = findClassRunInBytes(bytes, run, 0, bytes.length) >= 0;
      expect({ text, held }).toEqual({ text, held: at >= 0 });
    }
    expect(findClassRunInBytes(Buffer.from([0x41, 0xff, 0x31, 0x32]), run, 0, 4)).toBe(-1);
    expect(findClassRunInBytes(Buffer.from('A12 B34'), run, 1, 7)).toBe(4);
    expect(findClassRun('A12 B34', run, 1, 7)).toBe(4);
    expect(findClassRun('A12 B34', run, 1, 6)).toBe(-1);
  });
});

describe('grepContent with the class run', () => {
  const PATTERNS = [
    '[A-Z][a-z]{2}[0-9]{5}[a-z]',
    '[A-Z][0-9]{2}',
    '(foo|bar)[0-9]{2,}x',
    'ab{3}c',
    '[0-9]{3}-[0-9]{2}',
    '\\bid[0-9]{2}\\b',
    '(?i)q[xz]{2}',
    'a.c[0-9][0-9]',
    '[a-c]{3}[0-9]$',
    '^[0-9]{2}[A-Z]',
    '[A-Z][0-9]é',
    '(?:Ab){2}[0-9]',
    '[^a]A[0-9]{2}',
  ];
  const OPTIONS: GrepContentOptions[] = [
    {},
    { invert: true },
    { ignoreCase: true },
    { wordRegexp: true },
    { contextBefore: 2, contextAfter: 1 },
    { maxMatches: 2 },
    { maxMatches: 0 },
  ];
  const ALPHABET = [
    'a',
    'b',
    'c',
    'A',
    'B',
    'Q',
    'x',
    'z',
    '1',
    '2',
    '9',
    '-',
    ' ',
    '\n',
    '\r',
    'é',
    '€',
    '😀',
  ];

  /** A deterministic mix of near misses and matches. */
  function randomTexts(count: number): Buffer[] {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const out: Buffer[] = [];
    for (let n = 0; n < count; n++) {
      let text = '';
      const length = Math.floor(next() * 300);
      for (let k = 0; k < length; k++) {
        const r = next();
        if (r < 0.02) text += 'Abc12345x';
        else if (r < 0.04) text += 'foo123x';
        else if (r < 0.06) text += 'A12';
        else text += ALPHABET[Math.floor(next() * ALPHABET.length)];
      }
      const bytes = Buffer.from(text);
      // Now and then an undecodable byte.
      if (bytes.length > 4 && next() < 0.3) bytes[Math.floor(next() * bytes.length)] = 0xff;
      out.push(bytes);
    }
    return out;
  }

  const FIXED = [
    '',
    '\n',
    'A12',
    'A12\n',
    'x\r\nA12\r\n\r\nB34',
    'Abc12345x at the start\n' + 'middle\n'.repeat(40) + 'and at the end Xyz99999q',
    'no match here\n'.repeat(70),
    'é€😀A12é\nid12 id123 (id99)\n',
    Buffer.from([0x41, 0xff, 0x31, 0x32, 0x0a, 0x41, 0x31, 0x32]),
    '\n\nA12\n\n',
    'line\n'.repeat(33) + 'foo99x\n' + 'line\n'.repeat(33),
  ];

  it('reports what the line-by-line path reports', () => {
    const texts = [...FIXED.map((t) => (Buffer.isBuffer(t) ? t : Buffer.from(t))), ...randomTexts(150)];
    let withRun = 0;
    for (const pattern of PATTERNS) {
      for (const options of OPTIONS) {
        const compiled = compileGrep(pattern, options);
        if (compiled.classRun) withRun++;
        const plain = { ...compiled, classRun: null };
        for (const content of texts) {
          const ours = grepContent(content, compiled, options);
          const theirs = grepContent(content, plain, options);
          expect({ pattern, options, content: content.toString('hex'), ours }).toEqual({
            pattern,
            options,
            content: content.toString('hex'),
            ours: theirs,
          });
        }
      }
    }
    // The prefilter was really exercised (only 'ab{3}c' and patterns like it take the literal path).
    expect(withRun).toBeGreaterThan(PATTERNS.length * OPTIONS.length * 0.7);
  });
});
