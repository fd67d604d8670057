import type { EntityManager } from 'typeorm';
import { POSTING_BUCKETS } from '../entities/search-posting.entity';

/** A document's full-text terms as the postings store them. */
export interface DocumentTerms {
  docNo: number;
  terms: ReadonlyMap<number, number>;
}

/**
 * A batch with fewer entries than this appends to the zone's open segment, which takes
 * OPEN_SEGMENT_ENTRIES before a new one opens; a larger batch writes a segment of its own.
 * Appending rewrites a row (MVCC), so it is only worth it for small batches, which would
 * otherwise add a row per term (a file's terms fall in as many buckets).
 */
export const SMALL_BATCH_ENTRIES = 20_000;
export const OPEN_SEGMENT_ENTRIES = 100_000;

/** Segments a zone may gather before compaction is due (see compactionDue). */
export const COMPACT_AFTER_SEGMENTS = 32;

/** smallint: a count beyond this adds nothing to BM25 anyway (it saturates). */
const MAX_COUNT = 32_767;

export const bucketOf = (termHash: number): number => termHash & (POSTING_BUCKETS - 1);

/**
 * Writes these documents' postings into a segment: per bucket their terms
 * fall in, the (term, doc_no, count) entries in (or appended to) that bucket's
 * row. The rows are built here and sent as array literals in one statement.
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
  const entryCount = documents.reduce((sum, doc) => sum + doc.terms.size, 0);
  const segmentId =
    entryCount >= SMALL_BATCH_ENTRIES
      ? await startSegment(manager, zoneId, entryCount)
      : await openSegment(manager, zoneId, entryCount);
  await manager.query(
    `INSERT INTO search_postings AS p (zone_id, bucket, segment_id, term_hashes, doc_nos, counts)
     SELECT $1, r.bucket, $2, r.h::int[], r.d::bigint[], r.c::smallint[]
       FROM unnest($3::smallint[], $4::text[], $5::text[], $6::text[]) AS r(bucket, h, d, c)
     ON CONFLICT (zone_id, bucket, segment_id) DO UPDATE SET
       term_hashes = p.term_hashes || EXCLUDED.term_hashes,
       doc_nos = p.doc_nos || EXCLUDED.doc_nos,
       counts = p.counts || EXCLUDED.counts`,
    [zoneId, segmentId, buckets, hashes, docNos, counts],
  );
}

/** A new segment for a large batch (counted; the open segment stays open). */
async function startSegment(manager: EntityManager, zoneId: string, entryCount: number): Promise<string> {
  const [row] = await manager.query<Array<{ id: string }>>(`SELECT nextval('search_segment_seq') AS id`);
  // The open segment's row is created full, so the zone's first small batch starts its own.
  await manager.query(
    `INSERT INTO search_open_segments AS o (zone_id, segment_id, entries, segments, added)
     VALUES ($1, $2, $3, 1, $4)
     ON CONFLICT (zone_id) DO UPDATE SET segments = o.segments + 1, added = o.added + EXCLUDED.added`,
    [zoneId, row!.id, OPEN_SEGMENT_ENTRIES, entryCount],
  );
  return row!.id;
}

/** The zone's open segment for a small batch (a new one once it is full); its row lock orders the zone's batches. */
async function openSegment(manager: EntityManager, zoneId: string, entryCount: number): Promise<string> {
  const [row] = await manager.query<Array<{ segmentId: string }>>(
    `INSERT INTO search_open_segments AS o (zone_id, segment_id, entries, segments, added)
     VALUES ($1, nextval('search_segment_seq'), $2::int, 1, $2::bigint)
     ON CONFLICT (zone_id) DO UPDATE SET
       added = o.added + EXCLUDED.added,
       segment_id = CASE WHEN o.entries + EXCLUDED.entries > $3 THEN EXCLUDED.segment_id ELSE o.segment_id END,
       segments = CASE WHEN o.entries + EXCLUDED.entries > $3 THEN o.segments + 1 ELSE o.segments END,
       entries = CASE WHEN o.entries + EXCLUDED.entries > $3 THEN EXCLUDED.entries ELSE o.entries + EXCLUDED.entries END
     RETURNING segment_id AS "segmentId"`,
    [zoneId, entryCount, OPEN_SEGMENT_ENTRIES],
  );
  return row!.segmentId;
}

/** Compaction is due once COMPACT_AFTER_SEGMENTS segments and as many entries as the last compaction left were added. */
export async function compactionDue(
  manager: EntityManager,
  zoneId: string,
): Promise<{ due: boolean; segments: number }> {
  const [row] = await manager.query<Array<{ segments: number; due: boolean }>>(
    `SELECT segments, (segments >= $2 AND added >= compacted) AS due FROM search_open_segments WHERE zone_id = $1`,
    [zoneId, COMPACT_AFTER_SEGMENTS],
  );
  return { due: row?.due ?? false, segments: row?.segments ?? 0 };
}

/**
 * Rewrites the zone's postings without the entries of replaced or deleted
 * content: each bucket's live entries into one row of a new segment, in one
 * statement (the caller's transaction). Queries skip dead entries anyway;
 * this bounds the rows and bytes they read and makes document frequencies exact.
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
  // Lock the zone's segment row first (it waits for a batch in flight), so the rewrite's
  // snapshot holds every committed batch; the row is reset after it.
  await manager.query(`SELECT 1 FROM search_open_segments WHERE zone_id = $1 FOR UPDATE`, [zoneId]);
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
  const after = await count();
  // Full, so the next small batch opens a new segment; the count of what the compaction left decides the next one.
  await manager.query(
    `INSERT INTO search_open_segments AS o (zone_id, segment_id, entries, segments, added, compacted)
     VALUES ($1, 0, $2, 0, 0, (SELECT coalesce(sum(cardinality(doc_nos)), 0) FROM search_postings WHERE zone_id = $1))
     ON CONFLICT (zone_id) DO UPDATE SET entries = EXCLUDED.entries, segments = 0, added = 0, compacted = EXCLUDED.compacted`,
    [zoneId, OPEN_SEGMENT_ENTRIES],
  );
  return { before, after };
}
