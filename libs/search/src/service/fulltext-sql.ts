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

/** A document row of a full-text query: its file's fields as the index holds them (metadata aside). */
export interface DocumentRow extends Omit<LiveFile, 'metadata'> {
  contentKind: string;
  docNo: number;
  /** BM25's document length. */
  termCount: number;
}

/** A matching document and how it matched. */
export interface MatchedRow extends DocumentRow {
  /** The query's term hashes the document holds. */
  hs: number[];
  score: number;
}

const COLUMNS = `doc.id, doc.path, doc.version, doc.content_hash AS "contentHash", doc.size::float8 AS size,
  doc.mime_type AS "mimeType", doc.content_kind AS "contentKind", doc.tags, doc.doc_no::float8 AS "docNo",
  doc.term_count AS "termCount"`;

/** `$1` zone; the filters' parameters follow. */
export function filterSql(filters: DocumentFilters, params: unknown[]): string {
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

/** BM25's corpus statistics (CorpusStats) of a zone's text documents. */
export const CORPUS_STATS_SQL = `SELECT count(*)::float8 AS "docCount", coalesce(avg(term_count), 0)::float8 AS "avgDocLength"
  FROM search_documents WHERE zone_id = $1 AND content_kind = 'text'`;

/** The zone's documents that pass the filters — only those with these doc_nos, unless null. */
export function documentsStatement(
  zoneId: string,
  filters: DocumentFilters,
  docNos: readonly number[] | null,
): { sql: string; params: unknown[] } {
  const params: unknown[] = [zoneId];
  const where = filterSql(filters, params);
  if (docNos === null)
    return { sql: `SELECT ${COLUMNS} FROM search_documents doc WHERE doc.zone_id = $1 AND ${where}`, params };
  params.push(`{${docNos.join(',')}}`);
  return {
    sql: `SELECT ${COLUMNS} FROM search_documents doc
           WHERE doc.doc_no = ANY($${params.length}::bigint[]) AND doc.zone_id = $1 AND ${where}`,
    params,
  };
}
