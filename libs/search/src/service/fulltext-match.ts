import type { DataSource } from 'typeorm';
import { bm25Score } from '../fulltext/bm25';
import type { CorpusStats } from '../fulltext/bm25';
import { relaxedMatch } from '../fulltext/query-plan';
import type { QueryPlan } from '../fulltext/query-plan';
import { readTermPostings } from '../index/postings-reader';
import { documentsStatement } from './fulltext-sql';
import type { DocumentFilters, DocumentRow, MatchedRow } from './fulltext-sql';

/** doc_nos per statement (each an index lookup). */
const DOC_NOS_PER_QUERY = 20_000;

interface Held {
  hs: number[];
  counts: number[];
}

const none: Held = { hs: [], counts: [] };

/**
 * Every document of the zone that passes the filters and the relaxed query,
 * with the query's terms it holds and its BM25 score. The query's terms are
 * read from the postings and grouped by doc_no here; only doc_nos that pass
 * the relaxed query are looked up (which drops entries of replaced content).
 * A term's document frequency counts its entries — like Lucene's, including
 * replaced content until compaction. Without a positive term every filtered
 * document is a candidate (score 0) unless it holds an excluded term.
 */
export async function matchDocuments(
  db: DataSource,
  zoneId: string,
  plan: QueryPlan,
  filters: DocumentFilters,
  stats: CorpusStats,
): Promise<MatchedRow[]> {
  const postings = await readTermPostings(db, zoneId, [...plan.weights.keys()]);
  const held = new Map<number, Held>();
  for (const [hash, { docNos, counts }] of postings)
    docNos.forEach((docNo, i) => {
      let doc = held.get(docNo);
      if (!doc) held.set(docNo, (doc = { hs: [], counts: [] }));
      doc.hs.push(hash);
      doc.counts.push(counts[i]!);
    });
  const passes = (doc: Held) => relaxedMatch(plan.root, (hash) => doc.hs.includes(hash));
  if (!plan.needsTerm) {
    const { sql, params } = documentsStatement(zoneId, filters, null);
    const rows = await db.query<DocumentRow[]>(sql, params);
    return rows.flatMap((row) => {
      const doc = held.get(row.docNo) ?? none;
      return passes(doc) ? [{ ...row, hs: doc.hs, score: 0 }] : [];
    });
  }
  const candidates = [...held.entries()].filter(([, doc]) => passes(doc)).map(([docNo]) => docNo);
  const matched: MatchedRow[] = [];
  for (let i = 0; i < candidates.length; i += DOC_NOS_PER_QUERY) {
    const { sql, params } = documentsStatement(zoneId, filters, candidates.slice(i, i + DOC_NOS_PER_QUERY));
    for (const row of await db.query<DocumentRow[]>(sql, params)) {
      const doc = held.get(row.docNo)!;
      let score = 0;
      doc.hs.forEach((hash, k) => {
        score +=
          plan.weights.get(hash)! *
          bm25Score({
            tf: doc.counts[k]!,
            docLength: row.termCount,
            avgDocLength: stats.avgDocLength,
            docFreq: postings.get(hash)!.docNos.length,
            docCount: stats.docCount,
          });
      });
      matched.push({ ...row, hs: doc.hs, score });
    }
  }
  return matched;
}
