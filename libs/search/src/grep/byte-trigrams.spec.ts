import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contentTrigrams, trigramQuery, trigramsSatisfy } from './byte-trigrams';
import { compileGrep, type GrepOptions, type LiteralQuery } from './grep-pattern';
import { grepContent } from './grep-lines';

const tri = (s: string): number => {
  const b = Buffer.from(s, 'latin1');
  return ((b[0] as number) << 16) | ((b[1] as number) << 8) | (b[2] as number);
};
const lit = (s: string): LiteralQuery => ({ kind: 'literal', bytes: Buffer.from(s) });

// Deterministic xorshift so failures reproduce.
function rng(seed: number): (n: number) => number {
  let s = seed;
  return (n) => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) % n;
  };
}

describe('contentTrigrams', () => {
  it('lists every 3-byte window, sorted', () => {
    expect([...contentTrigrams(Buffer.from('abcd'))]).toEqual([tri('abc'), tri('bcd')]);
    expect([...contentTrigrams(Buffer.from('ab'))]).toEqual([]);
  });

  it('lowers ASCII letters only', () => {
    expect([...contentTrigrams(Buffer.from('ABC'))]).toEqual([tri('abc')]);
    const e = Buffer.from('É!'); // c3 89 21: not ASCII, left alone
    expect([...contentTrigrams(e)]).toEqual([(0xc3 << 16) | (0x89 << 8) | 0x21]);
  });

  it('includes windows across newlines and dedupes', () => {
    expect([...contentTrigrams(Buffer.from('a\nb'))]).toEqual([tri('a\nb')]);
    expect([...contentTrigrams(Buffer.from('aaaaaaAAA'))]).toEqual([tri('aaa')]);
  });

  it('is sorted, unique and independent of earlier calls', () => {
    const next = rng(42);
    const big = Buffer.alloc(50_000);
    for (let i = 0; i < big.length; i++) big[i] = next(256);
    const first = contentTrigrams(big);
    for (let i = 1; i < first.length; i++) expect((first[i] as number) > (first[i - 1] as number)).toBe(true);
    const small = Buffer.from('hello');
    expect([...contentTrigrams(small)]).toEqual([tri('ell'), tri('hel'), tri('llo')]);
    expect([...contentTrigrams(big)]).toEqual([...first]);
  });
});

describe('trigramQuery', () => {
  it('turns a literal into one AND-set, lowercased', () => {
    expect(trigramQuery(lit('HeLLo'))).toEqual([[tri('ell'), tri('hel'), tri('llo')].sort((a, b) => a - b)]);
  });

  it('has no constraint for short literals and any', () => {
    expect(trigramQuery(lit('ab'))).toBeNull();
    expect(trigramQuery({ kind: 'any' })).toBeNull();
    expect(trigramQuery({ kind: 'or', of: [lit('abc'), lit('x')] })).toBeNull();
    expect(trigramQuery({ kind: 'and', of: [lit('abc'), lit('x')] })).toEqual([[tri('abc')]]);
  });

  it('distributes AND over OR and drops implied alternatives', () => {
    const q = { kind: 'and', of: [{ kind: 'or', of: [lit('abc'), lit('xyz')] }, lit('def')] } as LiteralQuery;
    expect(trigramQuery(q)).toEqual([
      [tri('abc'), tri('def')],
      [tri('def'), tri('xyz')],
    ]);
    expect(trigramQuery({ kind: 'or', of: [lit('abc'), lit('abcd')] })).toEqual([[tri('abc')]]);
  });

  it('caps alternatives and AND sizes', () => {
    const words = Array.from({ length: 40 }, (_, i) => `w${String(i).padStart(3, '0')}`);
    const q = trigramQuery({ kind: 'or', of: words.map(lit) });
    expect(q).not.toBeNull();
    expect((q as number[][]).length).toBeLessThanOrEqual(16);
    const long = trigramQuery(lit('the quick brown fox jumps over the lazy dog, twice over'));
    expect((long as number[][])[0]).toHaveLength(32);
  });

  it('never excludes content that holds a substring (random property)', () => {
    const next = rng(7);
    const alphabet = Buffer.from('abcABC \n\t_xyzé\u212a');
    for (let round = 0; round < 300; round++) {
      const content = Buffer.alloc(20 + next(300));
      for (let i = 0; i < content.length; i++) content[i] = alphabet[next(alphabet.length)] as number;
      const trigrams = contentTrigrams(content);
      const from = next(content.length - 3);
      const sub = content.subarray(from, from + 3 + next(Math.min(40, content.length - from - 2)));
      expect(trigramsSatisfy(trigramQuery({ kind: 'literal', bytes: sub }), trigrams)).toBe(true);
    }
  });
});

describe('trigramQuery of compiled patterns never loses a matching file', () => {
  const CASES: [string, GrepOptions][] = [
    ['hello', {}],
    ['Hello', {}],
    ['hello', { ignoreCase: true }],
    ['KEY', { ignoreCase: true }],
    ['class', { ignoreCase: true }],
    ['straße', { ignoreCase: true }],
    ['école', { ignoreCase: true }],
    ['hel+o', {}],
    ['colou?r', {}],
    ['(foo|bar)baz', {}],
    ['foo.*bar', {}],
    ['foo\\w+bar', {}],
    ['fo{2,}', {}],
    ['[hj]ello', {}],
    ['[a-z]+ing\\b', {}],
    ['\\bint\\s+\\w+', {}],
    ['^import', {}],
    ['bar$', {}],
    ['x{3}', {}],
    ['(ab)+c', {}],
    ['(?i)world', {}],
    ['wor(?i:LD)', {}],
    ['foo', { wordRegexp: true }],
    ['hello', { invert: true }],
    ['a.c', { literal: true }],
    ['\\p{Greek}+ς', {}],
    ['σ', { ignoreCase: true }],
    ['smile 😀', {}],
    ['(red|green|blue) (car|bus|van)', {}],
    ['[ab][cd][ef][gh][ij]x', {}],
  ];
  const PIECES = [
    'hello',
    'HELLO',
    'Hello',
    'hellllo',
    'world',
    'WORLD',
    'worLD',
    'foo',
    'bar',
    'baz',
    'foobaz',
    'fooxbar',
    'foo_bar',
    'color',
    'colour',
    'jello',
    'testing',
    'int x',
    'int  y',
    'import',
    'xxx',
    'ababc',
    'a.c',
    'abc',
    'KEY',
    '\u212aey',
    'ke\u017f',
    'CLASS',
    'cla\u017fs',
    'STRASSE',
    'straße',
    'ÉCOLE',
    'école',
    'λόγος',
    'ΣΊΣΥΦΟΣ',
    'ς',
    'smile 😀',
    'red car',
    'blue van',
    'acegix',
    'bdfhjx',
    ' ',
    ' ',
    '\t',
    '\r',
  ];
  let dir: string;
  const files: Buffer[] = [];
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'trigram-prop-'));
    const next = rng(99);
    for (let f = 0; f < 120; f++) {
      const lines: string[] = [];
      for (let l = 0; l < 1 + next(6); l++) {
        const words: string[] = [];
        for (let w = 0; w < 1 + next(5); w++) words.push(PIECES[next(PIECES.length)] as string);
        lines.push(words.join(next(3) === 0 ? '' : ' '));
      }
      const content = Buffer.from(lines.join('\n') + (next(2) ? '\n' : ''));
      files.push(content);
      writeFileSync(join(dir, `f${f}.txt`), content);
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(CASES)('%s %j', (pattern, options) => {
    const compiled = compileGrep(pattern, options);
    const query = trigramQuery(compiled.required);
    const flags = [
      options.ignoreCase && '-i',
      options.wordRegexp && '-w',
      options.invert && '-v',
      options.literal && '-F',
    ];
    const rg = spawnSync(
      'rg',
      ['-l', '--no-config', ...flags.filter((f): f is string => !!f), '-e', pattern, dir],
      {
        encoding: 'utf8',
      },
    );
    const rgFiles = new Set(rg.stdout.split('\n').filter(Boolean));
    let matched = 0;
    files.forEach((content, f) => {
      const ours = grepContent(content, compiled, options).matches.length > 0;
      const theirs = rgFiles.has(join(dir, `f${f}.txt`));
      if (ours || theirs) {
        matched++;
        expect({ f, ok: trigramsSatisfy(query, contentTrigrams(content)) }).toEqual({ f, ok: true });
      }
    });
    expect(matched).toBeGreaterThan(0);
  });
});

describe('random patterns on random files (fuzz)', () => {
  const next = rng(2024);
  const pick = <T>(xs: readonly T[]): T => xs[next(xs.length)] as T;
  const ATOMS = [
    'a',
    'b',
    'c',
    'A',
    'B',
    'é',
    'É',
    'k',
    'K',
    's',
    '_',
    ' ',
    '\\w',
    '\\d',
    '\\s',
    '\\W',
    '.',
    '[ab]',
    '[^a ]',
    '[a-c]',
    '[kK]',
    '\\.',
  ];
  const gen = (depth: number): string => {
    const r = next(10);
    if (depth > 2 || r < 4) return pick(ATOMS);
    if (r < 6) return gen(depth + 1) + gen(depth + 1) + gen(depth + 1);
    if (r < 7) return `(${gen(depth + 1)}|${gen(depth + 1)})`;
    if (r < 8) return `(?i:${gen(depth + 1)})`;
    return `(${gen(depth + 1)})${pick(['?', '*', '+', '{2}', '{1,3}'])}`;
  };
  const CHARS = [
    'a',
    'b',
    'c',
    'A',
    'B',
    'C',
    'é',
    'É',
    'k',
    'K',
    '\u212a',
    's',
    'S',
    '\u017f',
    '_',
    ' ',
    '1',
    '.',
    '\t',
    '\r',
    '\n',
  ];
  const files = Array.from({ length: 40 }, () =>
    Buffer.from(Array.from({ length: 5 + next(60) }, () => pick(CHARS)).join('')),
  );
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'trigram-fuzz-'));
    files.forEach((content, f) => writeFileSync(join(dir, `f${f}.txt`), content));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('matches the files rg matches, and the trigram query keeps all of them', () => {
    for (let round = 0; round < 150; round++) {
      const pattern = (next(4) === 0 ? '^' : '') + gen(0) + gen(1) + (next(4) === 0 ? '$' : '');
      const options: GrepOptions = { ignoreCase: next(3) === 0, wordRegexp: next(5) === 0 };
      const compiled = compileGrep(pattern, options);
      const query = trigramQuery(compiled.required);
      const flags = [...(options.ignoreCase ? ['-i'] : []), ...(options.wordRegexp ? ['-w'] : [])];
      const rg = spawnSync('rg', ['-l', '--no-config', ...flags, '-e', pattern, dir], { encoding: 'utf8' });
      const rgFiles = new Set(rg.stdout.split('\n').filter(Boolean));
      files.forEach((content, f) => {
        const ours = grepContent(content, compiled, options).matches.length > 0;
        const theirs = rgFiles.has(join(dir, `f${f}.txt`));
        expect({ pattern, options, f, ours }).toEqual({ pattern, options, f, ours: theirs });
        if (ours)
          expect({ pattern, f, kept: trigramsSatisfy(query, contentTrigrams(content)) }).toEqual({
            pattern,
            f,
            kept: true,
          });
      });
    }
  });
});
