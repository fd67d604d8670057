// grepContent must report what ripgrep reports: same lines, columns (first submatch),
// texts and context neighbours, for each case on each fixture file.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileGrep, InvalidPatternError } from './grep-pattern';
import { grepContent, type GrepContentOptions, type GrepLineMatch } from './grep-lines';

const FILES: Record<string, string> = {
  'code.ts': [
    "import { readFile } from 'node:fs/promises';",
    '',
    '// TODO: handle errors',
    'export async function loadConfig(path: string): Promise<Config> {',
    '\tconst raw = await readFile(path, "utf8");',
    '\tconst value = JSON.parse(raw) as Config; // parse',
    '\tif (!value.name) return DEFAULT_CONFIG;',
    '\treturn { ...value, color: "red", colour: "blue" };',
    '}',
    '',
    '',
    'function foo_bar(a, b) { return a+b; }',
    'const fooBar = foo(1) + bar(2); // foo bar',
    '    hello   world   ',
    'Hello HELLO hello',
    'x = 42; y = 7.5; z = 0x1F;',
    'path\\to\\file "quoted" and "more quoted" end',
    'end',
  ].join('\n'),
  'unicode.txt': [
    'αβγ δέλτα Ωμέγα',
    'café crème brûlée',
    'ÉCOLE école Ecole',
    'straße STRASSE Straße',
    'KEY \u212aey key',
    'σίσυφος ΣΊΣΥΦΟΣ ς',
    '日本語のテキスト foo',
    'emoji 😀 and 🙏 here',
    'mixed αfooβ foo_é fooé foo',
    '\u00a0nbsp\u2003em space',
    '',
  ].join('\n'),
  'crlf.txt': ['first line\r', 'second foo\r', '\r', 'third bar foo\r', 'last\r', ''].join('\n'),
  'edge.txt': ['', '', 'a', '   ', 'ab', '', 'a b c', 'tab\there', 'end a', ''].join('\n'),
};

interface Case {
  pattern: string;
  flags?: string[];
  /** Files where we knowingly differ from rg 13 (see the tests below the table). */
  skip?: string[];
}

const CASES: Case[] = [
  { pattern: 'function' },
  { pattern: 'return' },
  { pattern: 'const raw' },
  { pattern: 'TODO' },
  { pattern: '\\bfoo\\w*', skip: ['unicode.txt'] },
  { pattern: 'function\\s+\\w+\\(' },
  { pattern: '\\d+' },
  { pattern: '[A-Z][a-z]+' },
  { pattern: '^\\s*//' },
  { pattern: ';$' },
  { pattern: '^$' },
  { pattern: '^\\s*$' },
  { pattern: '(foo|bar)+' },
  { pattern: 'colou?r' },
  { pattern: 'a.c' },
  { pattern: '\\t' },
  { pattern: '\\s+$' },
  { pattern: 'é' },
  { pattern: '\\p{Greek}+' },
  { pattern: '[α-ω]{2}' },
  { pattern: '\\w+' },
  { pattern: '\\W+' },
  { pattern: '\\S+$' },
  { pattern: '[^a-z ]+' },
  { pattern: '[[:upper:]]+' },
  { pattern: '\\x{1F600}|🙏' },
  { pattern: '"[^"]*"' },
  { pattern: '\\\\' },
  { pattern: '\\r$' },
  { pattern: 'foo\\r' },
  { pattern: '\\Afirst' },
  { pattern: 'end\\z' },
  { pattern: 'hel{2,}o' },
  { pattern: '(?i)hello' },
  { pattern: '' },
  { pattern: 'x*' },
  { pattern: '^' },
  { pattern: 'e|' },
  { pattern: '(?s)a.' },
  { pattern: '[\\s\\S]{3}$' },
  { pattern: '[[:^alpha:]]+' },
  { pattern: '[\\W\\d]+' },
  { pattern: 'a[\\Wb]' },
  { pattern: '\\p{Lu}\\p{Ll}+' },
  { pattern: '\\x{212A}' },
  { pattern: 'é', flags: ['-i'] },
  { pattern: '(?i)STRAẞE' },
  { pattern: 'hello', flags: ['-i'] },
  { pattern: 'KEY', flags: ['-i'] },
  { pattern: 'σ', flags: ['-i'] },
  { pattern: 'école', flags: ['-i'] },
  { pattern: 'strasse', flags: ['-i'] },
  { pattern: 'foo', flags: ['-w'] },
  { pattern: 'return', flags: ['-w'] },
  { pattern: 'a', flags: ['-w'] },
  { pattern: 'foo\\w*', flags: ['-w'] },
  { pattern: 'hello', flags: ['-w', '-i'] },
  { pattern: 'return', flags: ['-v'] },
  { pattern: '^\\s*$', flags: ['-v'] },
  { pattern: 'a+b', flags: ['-F'] },
  { pattern: '(a, b)', flags: ['-F'] },
  { pattern: '"quoted"', flags: ['-F', '-w'] },
  { pattern: 'foo', flags: ['-A', '2'] },
  { pattern: 'return', flags: ['-B', '1'] },
  { pattern: 'const', flags: ['-C', '2'] },
  { pattern: 'a', flags: ['-v', '-C', '1'] },
  { pattern: 'HELLO', flags: ['-i', '-A', '1', '-B', '3'] },
  // Patterns with a class run (class-run.ts), the prefilter of patterns without a literal.
  { pattern: '[0-9]x[0-9A-F]{2}' },
  { pattern: '[0-9]\\.[0-9];' },
  { pattern: '[a-z] = [0-9]{2}' },
  { pattern: '[A-Z][a-z]{2}[a-z]?[o]' },
  { pattern: '(?i)[h][e][l]{2}[o]' },
  { pattern: '[a-z]{2}\\([a-z]' },
  { pattern: '[0-9]x[0-9A-F]{2}', flags: ['-w'] },
  { pattern: '[0-9]x[0-9A-F]{2}', flags: ['-v', '-C', '1'] },
  { pattern: '[A-Z][a-z]{2}[0-9]{5}[a-z]' },
];

function optionsOf(flags: string[]): GrepContentOptions {
  const o: GrepContentOptions = {};
  for (let k = 0; k < flags.length; k++) {
    const f = flags[k];
    if (f === '-i') o.ignoreCase = true;
    else if (f === '-w') o.wordRegexp = true;
    else if (f === '-v') o.invert = true;
    else if (f === '-F') o.literal = true;
    else {
      const n = Number(flags[++k]);
      if (f === '-A' || f === '-C') o.contextAfter = n;
      if (f === '-B' || f === '-C') o.contextBefore = n;
    }
  }
  return o;
}

interface RgLine {
  type: string;
  data: { line_number: number; lines: { text: string }; submatches: { start: number }[] };
}

/** rg's answer in GrepLineMatch form; each match's context is read off rg's emitted lines. */
function rgMatches(file: string, pattern: string, flags: string[], o: GrepContentOptions): GrepLineMatch[] {
  const res = spawnSync('rg', ['--json', '--no-config', ...flags, '-e', pattern, file], { encoding: 'utf8' });
  if (res.status === 2) throw new Error(`rg failed: ${res.stderr}`);
  const lines = new Map<number, string>();
  const hits: RgLine['data'][] = [];
  for (const raw of res.stdout.split('\n')) {
    if (!raw) continue;
    const msg = JSON.parse(raw) as RgLine;
    if (msg.type !== 'match' && msg.type !== 'context') continue;
    lines.set(msg.data.line_number, msg.data.lines.text.replace(/\n$/, ''));
    if (msg.type === 'match') hits.push(msg.data);
  }
  const around = (from: number, to: number): string[] => {
    const out: string[] = [];
    for (let n = from; n <= to; n++) if (lines.has(n)) out.push(lines.get(n) as string);
    return out;
  };
  return hits.map((h) => ({
    line: h.line_number,
    column: (h.submatches[0]?.start ?? 0) + 1,
    text: lines.get(h.line_number) as string,
    before: around(h.line_number - (o.contextBefore ?? 0), h.line_number - 1),
    after: around(h.line_number + 1, h.line_number + (o.contextAfter ?? 0)),
  }));
}

describe('grepContent agrees with ripgrep', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'grep-vs-rg-'));
    for (const [name, text] of Object.entries(FILES)) writeFileSync(join(dir, name), text);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const table = CASES.flatMap((c) =>
    Object.keys(FILES)
      .filter((file) => !c.skip?.includes(file))
      .map((file) => [`${(c.flags ?? []).join(' ')} /${c.pattern}/ on ${file}`, c, file] as const),
  );
  it.each(table)('%s', (_label, c, file) => {
    const flags = c.flags ?? [];
    const o = optionsOf(flags);
    const path = join(dir, file);
    const expected = rgMatches(path, c.pattern, flags, o);
    const actual = grepContent(readFileSync(path), compileGrep(c.pattern, o), o);
    expect(actual.matches).toEqual(expected);
    expect(actual.truncated).toBe(false);
  });

  // Known differences. \b is ASCII-only in RE2 (rg's is Unicode-aware), so a
  // boundary between "α" and "foo" counts for us and not for rg.
  it('\\b treats non-ASCII letters as non-word characters', () => {
    const res = grepContent(Buffer.from('αfoo\n'), compileGrep('\\bfoo', {}), {});
    expect(res.matches.map((m) => m.column)).toEqual([3]);
  });

  // rg 13 misplaces the first -w submatch by one byte when the line before ends in a
  // word character and the pattern can start inside a word ("tab" reported as "ab");
  // the line set is the same, we report the true start.
  it('-w reports the word start where rg 13 is off by one', () => {
    const path = join(dir, 'edge.txt');
    const expected = rgMatches(path, '\\w+', ['-w'], {});
    const actual = grepContent(readFileSync(path), compileGrep('\\w+', { wordRegexp: true }), {}).matches;
    expect(actual.map((m) => m.line)).toEqual(expected.map((m) => m.line));
    expect(actual.find((m) => m.text === 'tab\there')?.column).toBe(1);
  });

  it('rejects what rg rejects, with a reason', () => {
    for (const pattern of ['(a)\\1', '(?=x)', '[', 'a\\nb']) {
      const res = spawnSync('rg', ['--no-config', '-e', pattern, join(dir, 'code.ts')], { encoding: 'utf8' });
      expect(res.status).toBe(2);
      expect(() => compileGrep(pattern, {})).toThrow(InvalidPatternError);
    }
  });

  it('stops after maxMatches like rg -m and says so', () => {
    const path = join(dir, 'code.ts');
    const expected = rgMatches(path, 'a', ['-m', '3'], {});
    const actual = grepContent(readFileSync(path), compileGrep('a', {}), { maxMatches: 3 });
    expect(actual.matches).toEqual(expected);
    expect(actual.truncated).toBe(true);
    expect(grepContent(readFileSync(path), compileGrep('TODO', {}), { maxMatches: 1 }).truncated).toBe(false);
  });
});

describe('linear-time matching', () => {
  it.each([
    ['a'.repeat(100_000), 1],
    ['a'.repeat(100_000) + 'b', 0],
  ])('(a+)+$ on 100 KB of "a" returns within a second (%#)', (text, count) => {
    const started = Date.now();
    const res = grepContent(Buffer.from(text), compileGrep('(a+)+$', {}), {});
    expect(Date.now() - started).toBeLessThan(1000);
    expect(res.matches).toHaveLength(count);
  });
});
