import { Inject, Injectable } from '@nestjs/common';
import { ValidationError, decodeCursor, encodeCursor } from '@nexus/core';
import type { Principal } from '@nexus/core';
import { BLOB_STORE, FsAccess, normalizePath } from '@nexus/filesystem';
import type { BlobStore } from '@nexus/filesystem';
import { DataSource } from 'typeorm';
import { InvalidQueryError, parseQuery } from '../fulltext/query-parser';
import type { QueryNode } from '../fulltext/query-parser';
import { containsPhrase, evaluate, planQuery } from '../fulltext/query-plan';
import type { QueryPlan, WordTerms } from '../fulltext/query-plan';
import { snippet } from '../fulltext/snippet';
import { termHash } from '../fulltext/term-hash';
import { tokenize } from '../fulltext/tokenize';
import type { Token } from '../fulltext/tokenize';
import { InvalidGlobError, compileGlob } from '../glob/glob-query';
import { HybridRanking } from '../hybrid/hybrid-ranking';
import { subtreeBounds } from '../index/live-files';
import { facetsOf } from './fulltext-facets';
import type { SearchFacets } from './fulltext-facets';
import type { CorpusStats } from '../fulltext/bm25';
import { matchDocuments } from './fulltext-match';
import { CORPUS_STATS_SQL } from './fulltext-sql';
import { mapLimited } from '../util/map-limited';
import type { DocumentFilters, MatchedRow } from './fulltext-sql';

export const FULLTEXT_LIMITS = { limit: { default: 20, max: 100 } } as const;

/** `bm25` alone, or `hybrid`: BM25 fused with vector similarity (needs NEXUS_SEARCH_EMBEDDINGS). */
export const FULLTEXT_RANKINGS = ['bm25', 'hybrid'] as const;
export type FullTextRanking = (typeof FULLTEXT_RANKINGS)[number];

export interface FullTextRequest {
  q: string;
  /** A directory (everything below it) or one file; default `/`. */
  path?: string;
  /** A picomatch glob relative to `path`. */
  glob?: string;
  /** Documents must carry all of these tags. */
  tags?: string[];
  /** Documents' metadata must hold these keys with these values (strings, numbers, booleans). */
  metadata?: Record<string, unknown>;
  /** Any of these MIME types (`text/*` for a whole type). */
  mimeTypes?: string[];
  limit?: number;
  cursor?: string;
  /** Default `hybrid` when an embedding provider is configured, else `bm25`. */
  ranking?: FullTextRanking;
}

export interface FullTextHit {
  id: string;
  path: string;
  version: number;
  score: number;
  size: number;
  mimeType: string | null;
  tags: string[];
  /** The best stretch of the content, HTML-escaped, terms in `<mark>`; null for binary and large files. */
  snippet: string | null;
}

export interface FullTextResult {
  items: FullTextHit[];
  nextCursor: string | null;
  /** Matching documents the caller may read. */
  total: number;
  facets: SearchFacets;
  /** The index terms the query was expanded to (stems, identifier parts, synonyms). */
  terms: string[];
  /** How the items were ranked (`bm25` too when hybrid was asked for but the provider failed). */
  ranking: FullTextRanking;
}

interface Ranked {
  score: number;
  path: string;
  id: string;
}

type Position = Ranked & Record<string, unknown>;

const isPosition = (value: unknown): value is Position => {
  const v = value as Partial<Position> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.score === 'number' &&
    typeof v.path === 'string' &&
    typeof v.id === 'string'
  );
};

/** How long a zone's corpus statistics are reused (ranking only: N and the average length move slowly). */
const STATS_TTL_MS = 5_000;
const STATS_CACHE_ZONES = 1_000;
/** Permission checks per round. */
const READABLE_CHUNK = 1_000;
/** Documents read at once (phrase checks, snippets). */
const READ_CONCURRENCY = 8;

function invalid(field: string, reason: string, code = 'INVALID_QUERY'): ValidationError {
  return new ValidationError(`${field}: ${reason}`, { field }, code);
}

const MAX_METADATA_KEYS = 50;

/** The metadata filter as jsonb for `@>`, each value checked; null when there is none. */
function metadataFilter(metadata: Record<string, unknown> | undefined): string | null {
  if (metadata === undefined) return null;
  const entries = Object.entries(metadata);
  if (entries.length > MAX_METADATA_KEYS) throw invalid('metadata', `at most ${MAX_METADATA_KEYS} keys`);
  for (const [key, value] of entries) {
    const scalar =
      typeof value === 'string' ||
      typeof value === 'boolean' ||
      (typeof value === 'number' && Number.isFinite(value));
    if (!scalar) throw invalid(`metadata.${key}`, 'must be a string, a finite number or a boolean');
  }
  return entries.length === 0 ? null : JSON.stringify(metadata);
}

/** Best first; ties in path order, then by id (a path can briefly name two rows). */
function byRank(a: Ranked, b: Ranked): number {
  return (
    b.score - a.score ||
    (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/**
 * Full-text search: web-search syntax, expanded by the analyzer (stems,
 * identifier parts, synonyms), ranked with BM25 over per-zone statistics.
 * Every candidate is matched exactly and permission-checked before the page
 * is cut, so pages are full, ranks and counts are right and facets count only
 * readable documents; snippets are built for the page only. With `hybrid`
 * ranking (hybrid/), BM25's list is fused with the readable documents most
 * similar to the query's words; totals and facets then count the union.
 */
@Injectable()
export class FullTextSearch {
  constructor(
    private readonly db: DataSource,
    private readonly access: FsAccess,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    private readonly hybrid: HybridRanking,
  ) {}

  async query(principal: Principal, request: FullTextRequest): Promise<FullTextResult> {
    const limit = request.limit ?? FULLTEXT_LIMITS.limit.default;
    if (!Number.isInteger(limit) || limit < 1 || limit > FULLTEXT_LIMITS.limit.max)
      throw invalid(
        'limit',
        `must be an integer from 1 to ${FULLTEXT_LIMITS.limit.max}`,
        'VALIDATION_FAILED',
      );
    const after = request.cursor === undefined ? null : decodeCursor(request.cursor, isPosition);
    const asked = this.rankingOf(request);
    const { node, plan, filters } = this.compile(request);
    const stats = await this.corpusStats(principal.zoneId);
    const rows = await matchDocuments(this.db, principal.zoneId, plan, filters, stats);
    const matched = await this.exact(plan, rows);
    const bm25 = await this.readable(principal, matched);
    bm25.sort(byRank);
    // Hybrid: the union of BM25's matches and the vector candidates, by fused score.
    const fused =
      asked === 'hybrid' ? await this.hybrid.fuse(principal, { node, plan, filters }, bm25) : null;
    const ranked = fused ?? bm25;
    if (fused) ranked.sort(byRank);
    const start = after === null ? 0 : ranked.findIndex((row) => byRank(row, after) > 0);
    const from = start === -1 ? ranked.length : start;
    const page = ranked.slice(from, from + limit);
    const last = page[page.length - 1];
    const items = await this.withSnippets(page, plan);
    return {
      items,
      nextCursor:
        last && from + limit < ranked.length
          ? encodeCursor({ score: last.score, path: last.path, id: last.id })
          : null,
      total: ranked.length,
      facets: facetsOf(ranked),
      terms: [...plan.positiveTerms],
      ranking: fused ? 'hybrid' : 'bm25',
    };
  }

  private rankingOf(request: FullTextRequest): FullTextRanking {
    const ranking = request.ranking ?? (this.hybrid.available ? 'hybrid' : 'bm25');
    if (!FULLTEXT_RANKINGS.includes(ranking))
      throw invalid('ranking', `must be one of: ${FULLTEXT_RANKINGS.join(', ')}`, 'VALIDATION_FAILED');
    if (ranking === 'hybrid' && !this.hybrid.available)
      throw invalid(
        'ranking',
        'hybrid needs an embedding provider (NEXUS_SEARCH_EMBEDDINGS); this deployment has none',
        'VALIDATION_FAILED',
      );
    return ranking;
  }

  private readonly statsCache = new Map<string, { at: number; stats: Promise<CorpusStats> }>();

  /** N and the average length, at most STATS_TTL_MS old: a count over the zone's rows is too dear per query. */
  private corpusStats(zoneId: string): Promise<CorpusStats> {
    const cached = this.statsCache.get(zoneId);
    if (cached && Date.now() - cached.at < STATS_TTL_MS) return cached.stats;
    const stats = this.db
      .query<CorpusStats[]>(CORPUS_STATS_SQL, [zoneId])
      .then(([row]) => row ?? { docCount: 0, avgDocLength: 0 });
    if (this.statsCache.size >= STATS_CACHE_ZONES) this.statsCache.clear();
    this.statsCache.set(zoneId, { at: Date.now(), stats });
    stats.catch(() => this.statsCache.delete(zoneId));
    return stats;
  }

  private compile(request: FullTextRequest): {
    node: QueryNode | null;
    plan: QueryPlan;
    filters: DocumentFilters;
  } {
    let parsed;
    try {
      parsed = parseQuery(request.q);
    } catch (error) {
      if (error instanceof InvalidQueryError) throw invalid('q', error.reason);
      throw error;
    }
    const path = normalizePath(request.path ?? '/');
    const [pathLow, pathHigh] = subtreeBounds(path);
    let globRegex: string | null = null;
    if (request.glob !== undefined) {
      try {
        globRegex = compileGlob(request.glob, { basePath: path, dot: true }).regex;
      } catch (error) {
        if (error instanceof InvalidGlobError) throw invalid('glob', error.reason, 'INVALID_GLOB');
        throw error;
      }
    }
    const metadata = metadataFilter(request.metadata);
    const filters: DocumentFilters = {
      path,
      pathLow,
      pathHigh,
      globRegex,
      prefixes: parsed.filters.paths.map((prefix) => (prefix.startsWith('/') ? prefix : `/${prefix}`)),
      tags: [...(request.tags ?? []), ...parsed.filters.tags],
      excludeTags: parsed.filters.excludeTags,
      exts: parsed.filters.exts,
      mimeTypes: request.mimeTypes ?? [],
      metadata,
    };
    return { node: parsed.node, plan: planQuery(parsed.node), filters };
  }

  /** The rows that match the exact query (the database answered its relaxed form). */
  private async exact(plan: QueryPlan, rows: MatchedRow[]): Promise<MatchedRow[]> {
    // Only phrases (matched or excluded) are relaxed in SQL; every other part of the query is exact there.
    if (!plan.hasPhrase) return rows;
    const verdicts = await mapLimited(rows, READ_CONCURRENCY, (row) => {
      const held = new Set(row.hs);
      let tokens: Promise<Token[]> | null = null;
      return evaluate(plan.root, {
        has: (term) => held.has(termHash(term)),
        hasPhrase: async (words: readonly WordTerms[]) => {
          if (row.contentKind !== 'text') return false;
          tokens ??= this.blobs.read(row.contentHash).then(
            (content) => tokenize(content.toString('utf8')),
            () => [],
          );
          return containsPhrase(await tokens, words);
        },
      });
    });
    return rows.filter((_, i) => verdicts[i]);
  }

  private async readable(principal: Principal, rows: MatchedRow[]): Promise<MatchedRow[]> {
    const allowed = new Set<string>();
    for (let i = 0; i < rows.length; i += READABLE_CHUNK) {
      const ids = rows.slice(i, i + READABLE_CHUNK).map((row) => row.id);
      for (const id of await this.access.readable(principal, ids)) allowed.add(id);
    }
    return rows.filter((row) => allowed.has(row.id));
  }

  private async withSnippets(page: MatchedRow[], plan: QueryPlan): Promise<FullTextHit[]> {
    return mapLimited(page, READ_CONCURRENCY, async (row) => {
      let text: string | null = null;
      if (row.contentKind === 'text') {
        text = await this.blobs.read(row.contentHash).then(
          (content) => content.toString('utf8'),
          () => null, // overwritten and collected since the query ran: no snippet rather than a failure
        );
      }
      return {
        id: row.id,
        path: row.path,
        version: row.version,
        score: row.score,
        size: row.size,
        mimeType: row.mimeType,
        tags: row.tags,
        snippet: text === null ? null : snippet(text, plan.positiveTerms),
      };
    });
  }
}
