import type { DataSource, EntityManager } from 'typeorm';
import { termBucket, trigramBucket } from '../entities/search-posting.entity';
import { spreadEvenly } from '../grep/byte-trigrams';
import { scanRuns } from './posting-runs';

/** A key's entries: the doc_nos holding it (live or not: the caller joins them to documents) and counts. */
export interface KeyPostings {
  docNos: number[];
  /** Occurrences per entry (0 for trigrams). */
  counts: number[];
}

type Queryable = Pick<DataSource | EntityManager, 'query'>;

/** Reads the entries of these keys from the rows of their buckets, every segment. */
async function readKeys(
  db: Queryable,
  zoneId: string,
  keys: readonly number[],
  bucketOf: (key: number) => number,
): Promise<Map<number, KeyPostings>> {
  const byKey = new Map<number, KeyPostings>(keys.map((key) => [key, { docNos: [], counts: [] }]));
  if (byKey.size === 0) return byKey;
  const buckets = [...new Set(keys.map(bucketOf))];
  const rows = await db.query<Array<{ data: Buffer }>>(
    `SELECT data FROM search_postings WHERE zone_id = $1 AND bucket = ANY($2::smallint[])`,
    [zoneId, `{${buckets.join(',')}}`],
  );
  for (const { data } of rows)
    scanRuns(
      data,
      (key) => byKey.has(key),
      (key, docNo, count) => {
        const postings = byKey.get(key)!;
        postings.docNos.push(docNo);
        postings.counts.push(count);
      },
    );
  return byKey;
}

/** Full-text postings of these term hashes. */
export function readTermPostings(
  db: Queryable,
  zoneId: string,
  hashes: readonly number[],
): Promise<Map<number, KeyPostings>> {
  return readKeys(db, zoneId, hashes, termBucket);
}

/**
 * Trigrams read per alternative: a literal's trigrams are all required, so any
 * of them narrow the files; reading a few costs a fraction of reading them all
 * and narrows nearly as well (verification decides anyway).
 */
export const TRIGRAMS_READ_PER_ALTERNATIVE = 4;

/**
 * The doc_nos holding the trigrams of some alternative (an OR of AND-sets; of
 * each, TRIGRAMS_READ_PER_ALTERNATIVE), live or not: a superset of the files
 * that can match.
 */
export async function trigramCandidates(
  db: Queryable,
  zoneId: string,
  query: readonly (readonly number[])[],
): Promise<Set<number>> {
  const alternatives = query.map((alternative) => spreadEvenly(alternative, TRIGRAMS_READ_PER_ALTERNATIVE));
  const postings = await readKeys(db, zoneId, [...new Set(alternatives.flat())], trigramBucket);
  const candidates = new Set<number>();
  for (const alternative of alternatives) {
    // Intersect from the rarest trigram, so the working set only shrinks.
    const lists = alternative.map((t) => postings.get(t)!.docNos).sort((a, b) => a.length - b.length);
    let within = new Set(lists[0]);
    for (const list of lists.slice(1)) {
      if (within.size === 0) break;
      const next = new Set<number>();
      for (const docNo of list) if (within.has(docNo)) next.add(docNo);
      within = next;
    }
    for (const docNo of within) candidates.add(docNo);
  }
  return candidates;
}
