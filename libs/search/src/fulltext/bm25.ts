/**
 * Okapi BM25 scoring.
 *
 * Why BM25 rather than PostgreSQL's ts_rank_cd: ts_rank_cd has no inverse
 * document frequency — a match on "the" weighs as much as a match on a rare
 * identifier — and its length normalisation is a crude option flag. BM25
 * weighs each term by how rare it is in the corpus (IDF), saturates repeated
 * occurrences (k1) and normalises by document length relative to the average
 * (b), which is what makes a rare query word decide the ranking.
 *
 * The IDF is Lucene's `ln(1 + (N − n + 0.5) / (n + 0.5))`: unlike the original
 * Robertson–Spärck Jones form it is never negative, so a term that occurs in
 * most documents still adds a little instead of pushing matches down. The
 * term-frequency part keeps Okapi's (k1 + 1) factor, so one occurrence in a
 * document of average length scores exactly the term's IDF.
 */

export const BM25 = { k1: 1.2, b: 0.75 } as const;

export interface Bm25Input {
  /** Occurrences of the term in the document. */
  tf: number;
  /** Terms (positions) in the document. */
  docLength: number;
  avgDocLength: number;
  /** Documents containing the term. */
  docFreq: number;
  /** Documents in the corpus. */
  docCount: number;
}

export interface CorpusStats {
  avgDocLength: number;
  docCount: number;
}

/** Inverse document frequency; 0 for an empty corpus. */
export function idf(docFreq: number, docCount: number): number {
  if (!(docCount > 0)) return 0;
  // Statistics gathered at different moments may disagree; clamp rather than go negative or NaN.
  const n = Math.min(Math.max(docFreq, 0), docCount);
  return Math.log(1 + (docCount - n + 0.5) / (n + 0.5));
}

/** One term's contribution to one document's score. */
export function bm25Score({ tf, docLength, avgDocLength, docFreq, docCount }: Bm25Input): number {
  if (!(tf > 0)) return 0;
  // An unknown average (empty corpus statistics) means no length normalisation.
  const relativeLength = avgDocLength > 0 && docLength >= 0 ? docLength / avgDocLength : 1;
  const norm = BM25.k1 * (1 - BM25.b + BM25.b * relativeLength);
  return (idf(docFreq, docCount) * (tf * (BM25.k1 + 1))) / (tf + norm);
}

/** A document's score for a query: the sum over the query's terms. */
export function scoreDocument(
  terms: ReadonlyArray<{ tf: number; docFreq: number }>,
  docLength: number,
  stats: CorpusStats,
): number {
  return terms.reduce(
    (sum, { tf, docFreq }) =>
      sum + bm25Score({ tf, docFreq, docLength, avgDocLength: stats.avgDocLength, docCount: stats.docCount }),
    0,
  );
}
