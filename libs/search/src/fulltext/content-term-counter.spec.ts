import { countContentTerms } from './content-term-counter';
import { countTerms } from './tokenize';

/** The byte scanner must count exactly what the string analyzer counts. */
describe('countContentTerms', () => {
  it.each([
    'const parseConfig = load_config(file.path);',
    'a__b c--d e..f _lead trail_ x- -y .z z.',
    'HTTPServer URLs utf8Decoder v1.2.3 well-known os.path 1000 0x1F',
    'running runs ran RUNNING Runner',
    'end-with-joiner-',
    '',
    '   \n\t  ',
    'x',
  ])('counts %j like countTerms', (text) => {
    expect(countContentTerms(Buffer.from(text))).toEqual(countTerms(text));
  });

  it('counts a long generated text like countTerms, twice (the second time from its cache)', () => {
    const words = ['loadUser', 'parse_token', 'HTTPCache', 'v2.0', 'item-42', 'the', 'running'];
    let seed = 7;
    const next = () => (seed = (seed * 16807) % 2147483647);
    const text = Array.from(
      { length: 5000 },
      () => words[next() % words.length]! + ' ,.;-_'[next() % 6],
    ).join('');
    expect(countContentTerms(Buffer.from(text))).toEqual(countTerms(text));
    expect(countContentTerms(Buffer.from(text))).toEqual(countTerms(text));
  });

  it('counts tens of thousands of distinct terms like countTerms (the count table grows), then a small text', () => {
    const text = Array.from({ length: 30_000 }, (_, i) => `id${i}x user_${i % 7}`).join(' ');
    expect(countContentTerms(Buffer.from(text))).toEqual(countTerms(text));
    expect(countContentTerms(Buffer.from('one two two'))).toEqual(countTerms('one two two'));
  });

  it('takes the Unicode path for non-ASCII content', () => {
    const text = 'café naïve Straße 日本語 parseConfig';
    expect(countContentTerms(Buffer.from(text))).toEqual(countTerms(text));
  });
});
