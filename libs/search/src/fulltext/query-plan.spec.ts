import { parseQuery } from './query-parser';
import { evaluate, planQuery, relaxedMatch } from './query-plan';
import { termHash } from './term-hash';
import { countTerms } from './tokenize';

/** A document as the postings see it: the hashes of its terms. */
function docOf(text: string) {
  const held = new Set(countTerms(text).counts.keys());
  return {
    has: (hash: number) => held.has(hash),
    text,
  };
}

const plan = (q: string) => planQuery(parseQuery(q).node);

describe('relaxedMatch: the relaxed query over the term hashes a document holds', () => {
  const docs = [
    'parse config file',
    'parse_config loader',
    'load the file',
    'config only',
    'running runner',
    'nothing relevant',
  ].map(docOf);

  it.each([
    ['parse config', [0, 1]],
    ['parseConfig', [0, 1]],
    ['config -parse', [3]],
    ['load OR runs', [2, 4]],
    ['file -"parse config"', [2]], // relaxed: both files with "file" (a negated phrase is not decided there)
    ['"config file"', [0]],
  ])('%s matches documents %j (exact answer: evaluate)', async (q, expected) => {
    const p = plan(q);
    const relaxed = docs.map((doc, i) => (relaxedMatch(p.root, doc.has) ? i : -1)).filter((i) => i >= 0);
    // Every exact match is a relaxed match.
    const exact: number[] = [];
    for (const [i, doc] of docs.entries()) {
      const matches = await evaluate(p.root, {
        has: (term) => doc.has(termHash(term)),
        hasPhrase: async () => doc.text.includes('config file') || doc.text.includes('parse config'),
      });
      if (matches) exact.push(i);
    }
    expect(exact).toEqual(expected);
    for (const i of exact) expect(relaxed).toContain(i);
    // Without phrases the relaxed query is the exact one.
    if (!p.hasPhrase) expect(relaxed).toEqual(exact);
  });

  it('a query without a node matches everything', () => {
    expect(relaxedMatch(null, () => false)).toBe(true);
  });
});
