import type { Principal } from '@nexus/core';
import type { FsAccess } from '@nexus/filesystem';
import type { DataSource } from 'typeorm';
import { documentsStatement, filterSql } from '../service/fulltext-sql';
import type { DocumentFilters, DocumentRow } from '../service/fulltext-sql';
import { cosine } from './embedding-provider';
import { bytesToVector } from './vector-bytes';

/** Readable vector candidates a hybrid query fuses with BM25's matches. */
export const K_VECTOR = 100;
/** Vectors per statement of the scan. */
const SCAN_PAGE = 2_000;
/** Best candidates one pass of the scan keeps; another pass follows only if checks dropped too many. */
const POOL = 4 * K_VECTOR;
/** Candidates looked up, filtered and permission-checked per round. */
const CHECK_CHUNK = 100;

interface Scored {
  id: string;
  docNo: number;
  score: number;
}

/** Negative when a ranks before b: more similar first, then by id (deterministic). */
const order = (a: Scored, b: Scored) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The best `size` items pushed, in order (a sorted array: the pool is small). */
class TopList {
  readonly items: Scored[] = [];
  constructor(private readonly size: number) {}

  push(item: Scored): void {
    const items = this.items;
    if (items.length === this.size && order(item, items[items.length - 1]!) >= 0) return;
    let lo = 0;
    let hi = items.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (order(items[mid]!, item) < 0) lo = mid + 1;
      else hi = mid;
    }
    items.splice(lo, 0, item);
    if (items.length > this.size) items.pop();
  }
}

export interface VectorQuery {
  zoneId: string;
  vector: Float32Array;
  /** Only embeddings by this model and of this length count (others are stale). */
  model: string;
  dimensions: number;
  filters: DocumentFilters;
  /** Which rows hold a word the query excludes (null: it excludes none). */
  excluded: ((rows: readonly DocumentRow[]) => Promise<boolean[]>) | null;
}

/**
 * One pass of the exact scan: every embedding of the zone's documents that
 * pass the filters and whose content it was made from is still the
 * document's, compared with the query (cosine), streamed a page at a time
 * by id; the best `size` ranking after `below` are kept. O(documents of the
 * zone) per pass: there is no vector index (no pgvector here), and an exact
 * scan ranks exactly.
 */
async function scanPass(db: DataSource, query: VectorQuery, below: Scored | null): Promise<Scored[]> {
  const top = new TopList(POOL);
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const params: unknown[] = [query.zoneId, query.model, query.dimensions, after, SCAN_PAGE];
    const where = filterSql(query.filters, params);
    const rows = await db.query<Array<{ id: string; docNo: number; vector: Buffer }>>(
      `SELECT e.id, doc.doc_no::float8 AS "docNo", e.vector
         FROM search_embeddings e JOIN search_documents doc ON doc.id = e.id
        WHERE e.zone_id = $1 AND e.model = $2 AND e.dimensions = $3 AND e.id > $4::uuid
          AND doc.zone_id = $1 AND doc.content_kind = 'text' AND doc.content_hash = e.content_hash
          AND ${where}
        ORDER BY e.id LIMIT $5`,
      params,
    );
    for (const row of rows) {
      const score = cosine(query.vector, bytesToVector(row.vector));
      // Orthogonal or opposed: not similar at all, so not a candidate.
      if (!(score > 0)) continue;
      const item = { id: row.id, docNo: row.docNo, score };
      if (below === null || order(item, below) > 0) top.push(item);
    }
    if (rows.length < SCAN_PAGE) return top.items;
    after = rows[rows.length - 1]!.id;
  }
}

/**
 * The vector side of a hybrid query: the most similar documents, best first,
 * only those the principal may read (viewer) and holding no excluded word —
 * decided while walking the ranking, so K_VECTOR candidates are kept however
 * many are dropped (another scan pass follows when a pool runs out).
 */
export async function vectorRanking(
  db: DataSource,
  access: FsAccess,
  principal: Principal,
  query: VectorQuery,
  k = K_VECTOR,
): Promise<DocumentRow[]> {
  if (!query.vector.some((x) => x !== 0)) return []; // the query's words embed to nothing
  const kept: DocumentRow[] = [];
  let below: Scored | null = null;
  for (;;) {
    const pool = await scanPass(db, query, below);
    for (let i = 0; i < pool.length; i += CHECK_CHUNK) {
      const chunk = pool.slice(i, i + CHECK_CHUNK);
      // Looked up again with the filters: a document changed since the scan is skipped.
      const { sql, params } = documentsStatement(
        query.zoneId,
        query.filters,
        chunk.map((c) => c.docNo),
      );
      const byDocNo = new Map((await db.query<DocumentRow[]>(sql, params)).map((row) => [row.docNo, row]));
      let rows = chunk.flatMap((c) => {
        const row = byDocNo.get(c.docNo);
        return row && row.id === c.id ? [row] : [];
      });
      if (query.excluded) {
        const holds = await query.excluded(rows);
        rows = rows.filter((_, j) => !holds[j]);
      }
      const readable = await access.readable(
        principal,
        rows.map((row) => row.id),
      );
      for (const row of rows) {
        if (!readable.has(row.id)) continue;
        kept.push(row);
        if (kept.length === k) return kept;
      }
    }
    if (pool.length < POOL) return kept;
    below = pool[pool.length - 1]!;
  }
}
