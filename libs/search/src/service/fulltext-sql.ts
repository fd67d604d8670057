import { POSTING_BUCKETS } from '../entities/search-posting.entity';
import { BM25 } from '../fulltext/bm25';
import type { QueryPlan } from '../fulltext/query-plan';
import { relaxedCondition } from '../fulltext/query-plan';
import type { LiveFile } from '../index/live-files';

/** The document filters of a full-text query, already validated and normalised. */
export interface DocumentFilters {
  /** A directory (everything below it) or a file. */
  path: string;
  pathLow: string;
  pathHigh: string;
  /** A regex from a glob, or null. */
  globRegex: string | null;
  /** Path prefixes of `path:` filters; any of them. */
  prefixes: string[];
  /** All of these tags. */
  tags: string[];
  /** None of these tags. */
  excludeTags: string[];
  /** Lowercase extensions; any of them. */
  exts: string[];
  /** Exact MIME types or `type/*`; any of them. */
  mimeTypes: string[];
  /** Metadata the document's contains (jsonb `@>`), or null. */
  metadata: string | null;
}

/** A matching document: its file's fields as the index holds them (metadata aside), and how it matched. */
export interface MatchedRow extends Omit<LiveFile, 'metadata'> {
  contentKind: string;
  /** The query's term hashes the document holds. */
  hs: number[];
  score: number;
}

const COLUMNS = `doc.id, doc.path, doc.version, doc.content_hash AS "contentHash", doc.size::float8 AS size,
  doc.mime_type AS "mimeType", doc.content_kind AS "contentKind", doc.tags`;

/** `$1` zone, `$2` hashes, `$3` weights (when ranking); the filters' parameters follow. */
function filterSql(filters: DocumentFilters, params: unknown[]): string {
  const p = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const conditions = ['TRUE'];
  // The root holds everything: no condition (one would invite the planner to scan by path).
  if (filters.path !== '/')
    conditions.push(
      `(doc.path = ${p(filters.path)} OR (doc.path >= ${p(filters.pathLow)} AND doc.path < ${p(filters.pathHigh)}))`,
    );
  if (filters.globRegex !== null) conditions.push(`doc.path ~ ${p(filters.globRegex)}`);
  if (filters.prefixes.length > 0)
    conditions.push(
      `EXISTS (SELECT 1 FROM unnest(${p(filters.prefixes)}::text[]) AS x(prefix) WHERE starts_with(doc.path, x.prefix))`,
    );
  if (filters.tags.length > 0) conditions.push(`doc.tags @> ${p(filters.tags)}::text[]`);
  if (filters.excludeTags.length > 0) conditions.push(`NOT doc.tags && ${p(filters.excludeTags)}::text[]`);
  if (filters.exts.length > 0)
    conditions.push(`lower(substring(doc.path FROM '/[^/]+\\.([^./]+)$')) = ANY(${p(filters.exts)}::text[])`);
  if (filters.mimeTypes.length > 0)
    conditions.push(
      `EXISTS (SELECT 1 FROM unnest(${p(filters.mimeTypes)}::text[]) AS m(t)
                WHERE doc.mime_type = m.t OR (m.t LIKE '%/*' AND starts_with(doc.mime_type, left(m.t, -1))))`,
    );
  if (filters.metadata !== null) conditions.push(`doc.metadata @> ${p(filters.metadata)}::jsonb`);
  return conditions.join(' AND ');
}

/** Corpus statistics of a zone's text documents (BM25's N and average length). */
export interface CorpusStats {
  docCount: number;
  avgDocLength: number;
}

export const CORPUS_STATS_SQL = `SELECT count(*)::float8 AS "docCount", coalesce(avg(term_count), 0)::float8 AS "avgDocLength"
  FROM search_documents WHERE zone_id = $1 AND content_kind = 'text'`;

/**
 * The statement answering a full-text query: every document of the zone that
 * passes the filters and the relaxed query, with the query's terms it holds
 * and its BM25 score. The query's terms are grouped by document on the
 * postings alone; only documents that pass the relaxed query are joined to
 * their rows (which drops entries of replaced content). A term's document
 * frequency counts its entries — like Lucene's, including replaced content
 * until compaction — so no other entry is joined. Without a positive term
 * every filtered document is a candidate (score 0).
 */
export function matchStatement(
  zoneId: string,
  plan: QueryPlan,
  filters: DocumentFilters,
  stats: CorpusStats,
): { sql: string; params: unknown[] } {
  const hashes = [...plan.weights.keys()];
  const params: unknown[] = [zoneId, `{${hashes.join(',')}}`];
  // Weights only rank; a query without a positive term ranks nothing.
  if (plan.needsTerm)
    params.push(
      `{${hashes.map((h) => plan.weights.get(h)).join(',')}}`,
      stats.docCount,
      Math.max(stats.avgDocLength, 1),
    );
  const where = filterSql(filters, params);
  // The buckets of the query's terms, then only the entries of its terms.
  const postings = `SELECT x.h, x.d, x.c
      FROM search_postings p CROSS JOIN LATERAL unnest(p.term_hashes, p.doc_nos, p.counts) AS x(h, d, c)
     WHERE p.zone_id = $1 AND p.bucket = ANY((SELECT array_agg(DISTINCT t & ${POSTING_BUCKETS - 1}) FROM unnest($2::int[]) t)::smallint[])
       AND x.h = ANY($2::int[])`;
  if (!plan.needsTerm) {
    // The excluded terms each document holds, grouped once (not looked up per document).
    const sql = `WITH g AS MATERIALIZED (SELECT e.d, array_agg(DISTINCT e.h) AS hs FROM (${postings}) e GROUP BY e.d)
      SELECT * FROM (
        SELECT ${COLUMNS}, 0::float8 AS score, coalesce(g.hs, '{}') AS hs
          FROM search_documents doc LEFT JOIN g ON g.d = doc.doc_no
         WHERE doc.zone_id = $1 AND ${where}) m
       WHERE ${relaxedCondition(plan.root, 'm.hs')}`;
    return { sql, params };
  }
  const { k1, b } = BM25;
  // $4 documents in the zone, $5 their average length.
  const idf = `ln(1 + ($4::float8 - least(df.n, $4::float8) + 0.5) / (least(df.n, $4::float8) + 0.5))`;
  const tf = `u.c * ${k1 + 1} / (u.c + ${k1} * (${1 - b} + ${b} * doc.term_count / $5::float8))`;
  const sql = `WITH q(h, w) AS (SELECT * FROM unnest($2::int[], $3::float8[])),
    e AS MATERIALIZED (${postings}),
    df AS (SELECT h, count(*)::float8 AS n FROM e GROUP BY h),
    m AS MATERIALIZED (
      SELECT e.d, array_agg(e.h) AS hs, array_agg(e.c) AS cs FROM e GROUP BY e.d
      HAVING ${relaxedCondition(plan.root, 'array_agg(e.h)')})
    SELECT ${COLUMNS}, m.hs,
           (SELECT sum(q.w * ${idf} * ${tf}) FROM unnest(m.hs, m.cs) AS u(h, c) JOIN q USING (h) JOIN df USING (h)) AS score
      FROM m JOIN search_documents doc ON doc.doc_no = m.d
     WHERE doc.zone_id = $1 AND ${where}`;
  return { sql, params };
}
