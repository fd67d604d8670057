import type { DataSource, EntityManager } from 'typeorm';
import { termBucket, trigramBucket } from '../entities/search-posting.entity';
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

/** The doc_nos holding all trigrams of some alternative (an OR of AND-sets), live or not. */
export async function trigramCandidates(
  db: Queryable,
  zoneId: string,
  alternatives: readonly (readonly number[])[],
): Promise<Set<number>> {
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
