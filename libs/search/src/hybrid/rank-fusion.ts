// Reciprocal Rank Fusion (Cormack, Clarke & Büttcher, SIGIR 2009) for hybrid search.

/** The usual RRF constant: it damps the head of each list so one list's top hit cannot dominate. */
export const RRF_K = 60;

/**
 * Merges several rankings (ids, best first) into one.
 *
 * Why ranks and not scores: BM25 scores are unbounded and depend on the corpus
 * and query length, cosine similarities live in [-1, 1]; there is no honest
 * way to add them. RRF uses only each id's position: score(id) = Σ 1 / (k + rank)
 * over the rankings that contain it, rank starting at 1. An id repeated inside
 * one ranking counts only at its first position.
 *
 * Sorted by score descending; ties by the best rank the id reached in any
 * ranking, then by id, so the order is deterministic.
 */
export function reciprocalRankFusion(
  rankings: ReadonlyArray<readonly string[]>,
  k = RRF_K,
): Array<{ id: string; score: number }> {
  // id → its rank in each ranking that contains it.
  const ranks = new Map<string, number[]>();
  for (const ranking of rankings) {
    const seen = new Set<string>();
    ranking.forEach((id, index) => {
      if (seen.has(id)) return;
      seen.add(id);
      const list = ranks.get(id);
      if (list) list.push(index + 1);
      else ranks.set(id, [index + 1]);
    });
  }
  // Summing each id's terms in ascending rank order makes ids with the same ranks
  // in different lists score bit-for-bit equal, so the tie-breaks really apply.
  const fused = [...ranks].map(([id, list]) => {
    list.sort((a, b) => a - b);
    return { id, score: list.reduce((sum, rank) => sum + 1 / (k + rank), 0), bestRank: list[0]! };
  });
  return fused
    .sort((a, b) => b.score - a.score || a.bestRank - b.bestRank || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map(({ id, score }) => ({ id, score }));
}
