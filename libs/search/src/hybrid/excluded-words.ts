import type { BlobStore } from '@nexus/filesystem';
import type { DataSource } from 'typeorm';
import { containsPhrase, evaluate } from '../fulltext/query-plan';
import type { PlanNode, QueryPlan, WordTerms } from '../fulltext/query-plan';
import { termHash } from '../fulltext/term-hash';
import { tokenize } from '../fulltext/tokenize';
import { readTermPostings } from '../index/postings-reader';
import type { DocumentRow } from '../service/fulltext-sql';
import { mapLimited } from '../util/map-limited';
import { excludedLeaves } from './query-words';

/** Documents read at once (excluded phrases). */
const READ_CONCURRENCY = 8;

const termsOf = (word: WordTerms) => [word.whole, ...word.parts, ...word.synonyms];

/**
 * Which documents hold a word or phrase the query excludes: `-legacy` must
 * keep a document out of the vector list too, not only out of BM25's (a
 * vector ranks by similarity, which says nothing about a word's absence).
 * Decided like the BM25 side decides it: the excluded terms' postings (by the
 * document's current doc_no), and for a phrase its words at consecutive
 * positions in the content. Null when the query excludes nothing.
 */
export async function excludedWordsCheck(
  db: DataSource,
  blobs: BlobStore,
  zoneId: string,
  plan: QueryPlan,
): Promise<((rows: readonly DocumentRow[]) => Promise<boolean[]>) | null> {
  const leaves = excludedLeaves(plan.root);
  if (leaves.length === 0) return null;
  const words = leaves.flatMap((leaf) =>
    leaf.kind === 'word' ? [leaf.word] : leaf.kind === 'phrase' ? leaf.words : [],
  );
  const postings = await readTermPostings(db, zoneId, [...new Set(words.flatMap(termsOf).map(termHash))]);
  const held = new Map<number, Set<number>>();
  for (const [hash, { docNos }] of postings)
    for (const docNo of docNos) {
      let hashes = held.get(docNo);
      if (!hashes) held.set(docNo, (hashes = new Set()));
      hashes.add(hash);
    }
  // The excluded parts as one positive OR: a document matching it holds something excluded.
  const anyExcluded: PlanNode = {
    kind: 'or',
    of: leaves.map((leaf) => ({ ...leaf, negated: false }) as PlanNode),
  };
  return (rows) =>
    mapLimited(rows, READ_CONCURRENCY, (row) => {
      const hashes = held.get(row.docNo);
      if (!hashes) return Promise.resolve(false);
      return evaluate(anyExcluded, {
        has: (term) => hashes.has(termHash(term)),
        hasPhrase: async (phrase) => {
          const content = await blobs.read(row.contentHash).catch(() => null);
          return content !== null && containsPhrase(tokenize(content.toString('utf8')), phrase);
        },
      });
    });
}
