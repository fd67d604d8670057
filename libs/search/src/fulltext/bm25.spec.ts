import fc from 'fast-check';
import type { Bm25Input } from './bm25';
import { BM25, bm25Score, idf, scoreDocument } from './bm25';

const base: Bm25Input = { tf: 1, docLength: 100, avgDocLength: 100, docFreq: 1, docCount: 10 };
const score = (overrides: Partial<Bm25Input>) => bm25Score({ ...base, ...overrides });

describe('BM25', () => {
  it('uses the usual parameters', () => {
    expect(BM25).toEqual({ k1: 1.2, b: 0.75 });
  });

  // Hand-computed: idf = ln(1 + (N - n + 0.5) / (n + 0.5)),
  // score = idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * dl / avgdl)).
  it.each<[string, Bm25Input, number]>([
    // idf = ln(1 + 9.5/1.5) = ln 7.3333 = 1.99243; tf part = 2.2 / (1 + 1.2) = 1
    ['one hit, average length', base, 1.99243],
    // idf = ln(1 + 6.5/4.5) = 0.893818; K = 1.2 * (0.25 + 1.5) = 2.1; tf part = 4.4 / 4.1 = 1.073171
    [
      'two hits, double length',
      { tf: 2, docLength: 200, avgDocLength: 100, docFreq: 4, docCount: 10 },
      0.95922,
    ],
    // idf = ln(1 + 0.5/10.5) = 0.046520; K = 1.2 * (0.25 + 0.375) = 0.75; tf part = 6.6 / 3.75 = 1.76
    [
      'common term, short doc',
      { tf: 3, docLength: 50, avgDocLength: 100, docFreq: 10, docCount: 10 },
      0.081875,
    ],
    // idf = ln(1 + 1000.5/0.5) = ln 2002 = 7.601902
    ['term in no document yet', { ...base, docFreq: 0, docCount: 1000 }, 7.601902],
  ])('worked example: %s', (_, input, expected) => {
    expect(bm25Score(input)).toBeCloseTo(expected, 5);
  });

  it.each<[string, Partial<Bm25Input>]>([
    ['zero tf', { tf: 0 }],
    ['negative tf', { tf: -1 }],
    ['empty corpus', { docCount: 0, docFreq: 0, avgDocLength: 0 }],
  ])('scores %s as 0', (_, overrides) => {
    expect(score(overrides)).toBe(0);
  });

  it('ranks a rarer term higher', () => {
    expect(score({ docFreq: 1 })).toBeGreaterThan(score({ docFreq: 5 }));
    expect(score({ docFreq: 5 })).toBeGreaterThan(score({ docFreq: 10 }));
  });

  it('ranks a longer document lower for the same tf', () => {
    expect(score({ docLength: 50 })).toBeGreaterThan(score({ docLength: 100 }));
    expect(score({ docLength: 100 })).toBeGreaterThan(score({ docLength: 1000 }));
  });

  it('saturates term frequency: each extra hit adds less, bounded by (k1 + 1) * idf', () => {
    const gains = [1, 2, 3, 4, 5].map((tf) => score({ tf }) - score({ tf: tf - 1 }));
    for (let i = 1; i < gains.length; i++) expect(gains[i]).toBeLessThan(gains[i - 1] ?? 0);
    expect(score({ tf: 1e9 })).toBeCloseTo((BM25.k1 + 1) * idf(1, 10), 6);
  });

  it('never gives a negative idf, even for a term in every document', () => {
    expect(idf(10, 10)).toBeGreaterThan(0);
    expect(idf(11, 10)).toBe(idf(10, 10)); // inconsistent statistics are clamped
    expect(score({ docFreq: 10 })).toBeGreaterThan(0);
  });

  it('ignores length when the average is unknown', () => {
    expect(score({ avgDocLength: 0, docLength: 500 })).toBeCloseTo(score({}), 10);
  });

  const input = fc.record({
    tf: fc.integer({ min: 1, max: 1000 }),
    docLength: fc.integer({ min: 1, max: 100_000 }),
    avgDocLength: fc.double({ min: 1, max: 10_000, noNaN: true }),
    docCount: fc.integer({ min: 1, max: 1_000_000 }),
    docFreq: fc.integer({ min: 0, max: 1_000_000 }),
  });

  it('is finite, non-negative and monotonic in tf, length and rarity', () => {
    fc.assert(
      fc.property(input, (raw) => {
        const i = { ...raw, docFreq: Math.min(raw.docFreq, raw.docCount) };
        const s = bm25Score(i);
        expect(Number.isFinite(s)).toBe(true);
        expect(s).toBeGreaterThan(0);
        expect(bm25Score({ ...i, tf: i.tf + 1 })).toBeGreaterThanOrEqual(s);
        expect(bm25Score({ ...i, docLength: i.docLength + 1 })).toBeLessThanOrEqual(s);
        if (i.docFreq > 0) expect(bm25Score({ ...i, docFreq: i.docFreq - 1 })).toBeGreaterThan(s);
      }),
    );
  });
});

describe('scoreDocument', () => {
  const stats = { avgDocLength: 100, docCount: 10 };

  it('sums the terms', () => {
    const terms = [
      { tf: 1, docFreq: 1 },
      { tf: 2, docFreq: 4 },
    ];
    const expected = score({ docFreq: 1 }) + score({ tf: 2, docFreq: 4 });
    expect(scoreDocument(terms, 100, stats)).toBeCloseTo(expected, 10);
  });

  it('scores a document matching nothing as 0', () => {
    expect(scoreDocument([], 100, stats)).toBe(0);
    expect(scoreDocument([{ tf: 0, docFreq: 3 }], 100, stats)).toBe(0);
  });

  it('prefers the document that matches the rare term over one repeating the common term', () => {
    const rare = scoreDocument([{ tf: 1, docFreq: 1 }], 100, stats);
    const common = scoreDocument([{ tf: 5, docFreq: 9 }], 100, stats);
    expect(rare).toBeGreaterThan(common);
  });
});
