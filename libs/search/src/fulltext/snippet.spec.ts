import { escapeHtml, snippet } from './snippet';
import { analyzeQueryTerm } from './tokenize';

const query = (...words: string[]) => new Set(words.flatMap(analyzeQueryTerm));
const plainText = (html: string) => html.replace(/<\/?mark>/g, '').replace(/…/g, '');

describe('snippet', () => {
  it.each<[string, string[], string]>([
    ['The runner was running fast', ['run'], 'The runner was <mark>running</mark> fast'],
    ['Runs, ran, run.', ['run'], '<mark>Runs</mark>, ran, <mark>run</mark>.'],
    ['call parseConfig() first', ['config'], 'call <mark>parseConfig</mark>() first'],
    ['Remove the old database', ['delete', 'db'], '<mark>Remove</mark> the old <mark>database</mark>'],
    ['nothing relevant here', ['zebra'], 'nothing relevant here'],
    ['', ['x'], ''],
  ])('highlights %j for %j', (text, words, expected) => {
    expect(snippet(text, query(...words))).toBe(expected);
  });

  it.each<[string, string]>([
    ['a < b && c > "d" \'e\'', 'a &lt; b &amp;&amp; c &gt; &quot;d&quot; &#39;e&#39;'],
    ['<script>alert(1)</script>', '&lt;<mark>script</mark>&gt;alert(1)&lt;/<mark>script</mark>&gt;'],
  ])('escapes HTML in %j', (text, expected) => {
    expect(snippet(text, query('script'))).toBe(expected);
  });

  it('escapes the matched word itself', () => {
    expect(snippet('Tom&Jerry', query('tom'))).toBe('<mark>Tom</mark>&amp;Jerry');
  });

  it('uses custom markers without escaping them', () => {
    expect(snippet('find me', query('find'), { pre: '[', post: ']' })).toBe('[find] me');
  });

  const filler = (n: number, word = 'lorem') => Array.from({ length: n }, () => word).join(' ');

  it('cuts long text around the match with ellipses at both ends', () => {
    const text = `${filler(50)} the needle is here ${filler(50)}`;
    const out = snippet(text, query('needle'), { maxChars: 60 });
    expect(out.startsWith('…')).toBe(true);
    expect(out.endsWith('…')).toBe(true);
    expect(out).toContain('<mark>needle</mark>');
    expect(plainText(out).length).toBeLessThanOrEqual(60);
  });

  it('never cuts a word in half', () => {
    const text = `${filler(40, 'abcdefghij')} needle ${filler(40, 'abcdefghij')}`;
    const words = plainText(snippet(text, query('needle'), { maxChars: 47 }))
      .trim()
      .split(' ');
    expect(words.every((w) => w === 'abcdefghij' || w === 'needle')).toBe(true);
  });

  it('has no leading ellipsis when the window starts the text', () => {
    const out = snippet(`needle ${filler(100)}`, query('needle'), { maxChars: 40 });
    expect(out.startsWith('<mark>needle</mark>')).toBe(true);
    expect(out.endsWith('…')).toBe(true);
  });

  it('has no trailing ellipsis when the window ends the text', () => {
    const out = snippet(`${filler(100)} needle`, query('needle'), { maxChars: 40 });
    expect(out.startsWith('…')).toBe(true);
    expect(out.endsWith('<mark>needle</mark>')).toBe(true);
  });

  it('prefers the window with more distinct terms over more repetitions of one', () => {
    const text = `alpha alpha alpha alpha ${filler(60)} alpha beta ${filler(60)}`;
    const out = snippet(text, query('alpha', 'beta'), { maxChars: 40 });
    expect(out).toContain('<mark>alpha</mark> <mark>beta</mark>');
  });

  it('among windows with equally many distinct terms prefers more hits', () => {
    const text = `alpha ${filler(60)} alpha gamma alpha ${filler(60)}`;
    const out = snippet(text, query('alpha'), { maxChars: 30 });
    expect(out).toContain('<mark>alpha</mark> gamma <mark>alpha</mark>');
  });

  it('shows the start of the text when nothing matches', () => {
    const out = snippet(`first words ${filler(100)}`, query('absent'), { maxChars: 30 });
    expect(out.startsWith('first words')).toBe(true);
    expect(out.endsWith('…')).toBe(true);
    expect(out).not.toContain('<mark>');
  });

  it('collapses whitespace and newlines', () => {
    expect(snippet('line one\n\n   line\ttwo', query('two'))).toBe('line one line <mark>two</mark>');
  });

  it('keeps the default at 200 characters', () => {
    const out = snippet(filler(200), query('lorem'));
    expect(plainText(out).length).toBeLessThanOrEqual(200);
    expect(plainText(out).length).toBeGreaterThan(190);
  });
});

describe('escapeHtml', () => {
  it('escapes the five HTML-significant characters', () => {
    expect(escapeHtml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;');
  });
});

describe('snippet of a long text', () => {
  // Filler without the terms around a passage that has them: the region search must find the passage.
  const filler = (n: number) =>
    Array.from({ length: n }, (_, i) => `line ${i} of unrelated words here`).join('\n');
  const passage = 'the parser reads the configuration before running';

  it.each([
    ['in the middle', `${filler(300)}\n${passage}\n${filler(300)}`],
    ['at the start', `${passage}\n${filler(600)}`],
    ['at the end', `${filler(600)}\n${passage}`],
  ])('equals the snippet of the whole text when the passage is %s', (_, text) => {
    const terms = query('parser', 'configuration');
    const fromRegion = snippet(text, terms);
    expect(fromRegion).toContain('<mark>parser</mark>');
    expect(fromRegion).toContain('<mark>configuration</mark>');
    expect(plainText(fromRegion).length).toBeLessThanOrEqual(200);
    // The same window the full tokenization picks (only the ellipses may differ: both cut the text).
    const around = text.indexOf(passage);
    const local = snippet(text.slice(Math.max(0, around - 300), around + passage.length + 300), terms);
    expect(plainText(fromRegion).trim()).toBe(plainText(local).trim());
  });

  it('without any hit shows the start of the text', () => {
    expect(snippet(filler(500), query('zebra')).startsWith('line 0 of unrelated')).toBe(true);
  });

  it('without any term (a vector-only hit) shows the start of the text, HTML-escaped', () => {
    expect(snippet('<b>intro</b> & more', new Set())).toBe('&lt;b&gt;intro&lt;/b&gt; &amp; more');
    const long = snippet(`<p> ${'word '.repeat(100)}`, new Set(), { maxChars: 20 });
    expect(long).toBe('&lt;p&gt; word word word…');
  });
});
