import type { EntityManager } from 'typeorm';
import { POSTING_BUCKETS } from '../entities/search-posting.entity';

/** A document's full-text terms as the postings store them. */
export interface DocumentTerms {
  docNo: number;
  terms: ReadonlyMap<number, number>;
}

/** smallint: a count beyond this adds nothing to BM25 anyway (it saturates). */
const MAX_COUNT = 32_767;

export const bucketOf = (termHash: number): number => termHash & (POSTING_BUCKETS - 1);

/**
 * Writes one postings segment: per bucket these documents' terms fall in, one
 * row of (term, doc_no, count) entries. The rows are built here and sent as
 * array literals, one INSERT for the whole segment.
 */
export async function writePostings(
  manager: EntityManager,
  zoneId: string,
  documents: readonly DocumentTerms[],
): Promise<void> {
  // Per bucket, the entries as three parallel lists (in document order; queries need no order).
  const rows = new Map<number, { hashes: number[]; docNos: number[]; counts: number[] }>();
  for (const doc of documents) {
    for (const [hash, count] of doc.terms) {
      const bucket = bucketOf(hash);
      let row = rows.get(bucket);
      if (!row) rows.set(bucket, (row = { hashes: [], docNos: [], counts: [] }));
      row.hashes.push(hash);
      row.docNos.push(doc.docNo);
      row.counts.push(count > MAX_COUNT ? MAX_COUNT : count);
    }
  }
  if (rows.size === 0) return;
  const buckets: number[] = [];
  const hashes: string[] = [];
  const docNos: string[] = [];
  const counts: string[] = [];
  for (const [bucket, row] of rows) {
    buckets.push(bucket);
    hashes.push(`{${row.hashes.join(',')}}`);
    docNos.push(`{${row.docNos.join(',')}}`);
    counts.push(`{${row.counts.join(',')}}`);
  }
  // The segment id in a CTE: evaluated once (a subquery in FROM may be rescanned, calling nextval again).
  await manager.query(
    `WITH s AS MATERIALIZED (SELECT nextval('search_segment_seq') AS id)
     INSERT INTO search_postings (zone_id, bucket, segment_id, term_hashes, doc_nos, counts)
     SELECT $1, r.bucket, s.id, r.h::int[], r.d::bigint[], r.c::smallint[]
       FROM unnest($2::smallint[], $3::text[], $4::text[], $5::text[]) AS r(bucket, h, d, c), s`,
    [zoneId, buckets, hashes, docNos, counts],
  );
}

/**
 * Rewrites the zone's postings without the entries of replaced or deleted
 * content: each bucket's live entries into one row of a new segment, in one
 * statement (the caller's transaction). Queries skip dead entries anyway;
 * this bounds the rows and bytes they read. A batch indexed meanwhile writes
 * its own new segment, which the statement's snapshot neither sees nor deletes.
 */
export async function compactPostings(
  manager: EntityManager,
  zoneId: string,
): Promise<{ before: number; after: number }> {
  const count = async () => {
    const [row] = await manager.query<Array<{ rows: number }>>(
      `SELECT count(*)::int AS rows FROM search_postings WHERE zone_id = $1`,
      [zoneId],
    );
    return row?.rows ?? 0;
  };
  const before = await count();
  await manager.query(
    `WITH s AS MATERIALIZED (SELECT nextval('search_segment_seq') AS id),
          old AS (DELETE FROM search_postings WHERE zone_id = $1 RETURNING bucket, term_hashes, doc_nos, counts),
          live AS (
            SELECT o.bucket, e.h, e.d, e.c
              FROM old o CROSS JOIN LATERAL unnest(o.term_hashes, o.doc_nos, o.counts) AS e(h, d, c)
             WHERE EXISTS (SELECT 1 FROM search_documents doc WHERE doc.doc_no = e.d AND doc.zone_id = $1))
     INSERT INTO search_postings (zone_id, bucket, segment_id, term_hashes, doc_nos, counts)
     SELECT $1, live.bucket, s.id, array_agg(live.h), array_agg(live.d), array_agg(live.c)
       FROM live, s
      GROUP BY live.bucket, s.id`,
    [zoneId],
  );
  return { before, after: await count() };
}
