import type { EntityManager } from 'typeorm';
import { TERM_BUCKETS, TRIGRAM_BUCKETS, termBucket, trigramBucket } from '../entities/search-posting.entity';
import type { ContentAnalysis } from './content-analysis';
import { EntryList, encodeRuns, scanRuns } from './posting-runs';

/** A document's postings: its content's full-text terms and byte trigrams (none for binary and large files). */
export interface DocumentPostings {
  docNo: number;
  analysis: ContentAnalysis | null;
}

/**
 * A batch with fewer entries than this appends to the zone's open segment, which takes
 * OPEN_SEGMENT_ENTRIES before a new one opens; a larger batch writes a segment of its own.
 * Appending rewrites a row (MVCC), so it is only worth it for small batches, which would
 * otherwise add a row per bucket their keys fall in (a file's fall in thousands).
 */
export const SMALL_BATCH_ENTRIES = 50_000;
export const OPEN_SEGMENT_ENTRIES = 400_000;

/** Segments a zone may gather before compaction is due (see compactionDue). */
export const COMPACT_AFTER_SEGMENTS = 32;

const isTermBucket = (bucket: number) => bucket < TERM_BUCKETS;

/** Per bucket, the documents' entries (term buckets with counts), sized by a counting pass first. */
function gatherEntries(documents: readonly DocumentPostings[]): Map<number, EntryList> {
  const sizes = new Int32Array(TERM_BUCKETS + TRIGRAM_BUCKETS);
  for (const { analysis } of documents) {
    if (!analysis) continue;
    for (const hash of analysis.termHashes) sizes[termBucket(hash)]! += 1;
    for (const trigram of analysis.trigrams) sizes[trigramBucket(trigram)]! += 1;
  }
  const lists: Array<EntryList | undefined> = [];
  const rows = new Map<number, EntryList>();
  sizes.forEach((size, bucket) => {
    if (size === 0) return;
    const list = new EntryList(isTermBucket(bucket), size);
    lists[bucket] = list;
    rows.set(bucket, list);
  });
  for (const { docNo, analysis } of documents) {
    if (!analysis) continue;
    const { termHashes, termCounts, trigrams } = analysis;
    for (let i = 0; i < termHashes.length; i++)
      lists[termBucket(termHashes[i]!)]!.push(termHashes[i]!, docNo, termCounts[i]!);
    for (const trigram of trigrams) lists[trigramBucket(trigram)]!.push(trigram, docNo, 0);
  }
  return rows;
}

/** Writes rows of one segment: each bucket's runs, appended when the row exists (the open segment). */
async function writeRows(
  manager: EntityManager,
  zoneId: string,
  segmentId: string,
  rows: ReadonlyMap<number, EntryList>,
): Promise<void> {
  const buckets: number[] = [];
  const offsets: number[] = [];
  const lengths: number[] = [];
  const parts: Buffer[] = [];
  let at = 1; // substring() counts from 1
  for (const [bucket, entries] of rows) {
    const runs = encodeRuns(entries);
    if (runs.length === 0) continue;
    buckets.push(bucket);
    offsets.push(at);
    lengths.push(runs.length);
    parts.push(runs);
    at += runs.length;
  }
  if (buckets.length === 0) return;
  // One binary parameter for all rows (no text to parse), cut into rows by the statement.
  await manager.query(
    `INSERT INTO search_postings AS p (zone_id, bucket, segment_id, data)
     SELECT $1, r.bucket, $2, substring($3::bytea FROM r.o FOR r.l)
       FROM unnest($4::smallint[], $5::int[], $6::int[]) AS r(bucket, o, l)
     ON CONFLICT (zone_id, bucket, segment_id) DO UPDATE SET data = p.data || EXCLUDED.data`,
    [
      zoneId,
      segmentId,
      Buffer.concat(parts),
      `{${buckets.join(',')}}`,
      `{${offsets.join(',')}}`,
      `{${lengths.join(',')}}`,
    ],
  );
}

/**
 * Writes these documents' postings into a segment: per bucket their keys
 * fall in, the entries as one binary run (appended to the open segment's
 * row for a small batch), all rows in one statement.
 */
export async function writePostings(
  manager: EntityManager,
  zoneId: string,
  documents: readonly DocumentPostings[],
): Promise<void> {
  const rows = gatherEntries(documents);
  if (rows.size === 0) return;
  let entryCount = 0;
  for (const entries of rows.values()) entryCount += entries.length;
  const segmentId =
    entryCount >= SMALL_BATCH_ENTRIES
      ? await startSegment(manager, zoneId, entryCount)
      : await openSegment(manager, zoneId, entryCount);
  await writeRows(manager, zoneId, segmentId, rows);
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

/** Buckets rewritten per round of a compaction (bounds the entries held in memory at once). */
const COMPACT_BUCKETS_PER_ROUND = 256;

/**
 * Rewrites the zone's postings without the entries of replaced or deleted
 * content: each bucket's live entries into one row of a new segment, a round
 * of buckets at a time (the caller's transaction). Queries skip dead entries
 * anyway; this bounds the rows and bytes they read and makes document
 * frequencies exact.
 */
export async function compactPostings(
  manager: EntityManager,
  zoneId: string,
): Promise<{ before: number; after: number }> {
  // Lock the zone's segment row first (it waits for a batch in flight), so the rewrite's
  // snapshot holds every committed batch; the row is reset after it.
  await manager.query(`SELECT 1 FROM search_open_segments WHERE zone_id = $1 FOR UPDATE`, [zoneId]);
  const docNos = await manager.query<Array<{ docNo: string }>>(
    `SELECT doc_no AS "docNo" FROM search_documents WHERE zone_id = $1`,
    [zoneId],
  );
  const live = new Set(docNos.map((row) => Number(row.docNo)));
  const [segment] = await manager.query<Array<{ id: string }>>(`SELECT nextval('search_segment_seq') AS id`);
  let before = 0;
  let after = 0;
  let kept = 0;
  for (let low = 0; low < TERM_BUCKETS + TRIGRAM_BUCKETS; low += COMPACT_BUCKETS_PER_ROUND) {
    // A DELETE … RETURNING answers [rows, count].
    const [old] = await manager.query<[Array<{ bucket: number; data: Buffer }>, number]>(
      `DELETE FROM search_postings WHERE zone_id = $1 AND bucket >= $2 AND bucket < $3 RETURNING bucket, data`,
      [zoneId, low, low + COMPACT_BUCKETS_PER_ROUND],
    );
    before += old.length;
    const rows = new Map<number, EntryList>();
    for (const { bucket, data } of old) {
      let entries = rows.get(bucket);
      if (!entries) rows.set(bucket, (entries = new EntryList(isTermBucket(bucket))));
      const into = entries;
      scanRuns(
        data,
        () => true,
        (key, docNo, count) => {
          if (live.has(docNo)) into.push(key, docNo, count);
        },
      );
    }
    for (const [bucket, entries] of rows) {
      if (entries.length === 0) rows.delete(bucket);
      else kept += entries.length;
    }
    after += rows.size;
    await writeRows(manager, zoneId, segment!.id, rows);
  }
  // Full, so the next small batch opens a new segment; the count of what the compaction left decides the next one.
  await manager.query(
    `INSERT INTO search_open_segments AS o (zone_id, segment_id, entries, segments, added, compacted)
     VALUES ($1, 0, $2, 0, 0, $3)
     ON CONFLICT (zone_id) DO UPDATE SET entries = EXCLUDED.entries, segments = 0, added = 0, compacted = EXCLUDED.compacted`,
    [zoneId, OPEN_SEGMENT_ENTRIES, kept],
  );
  return { before, after };
}
