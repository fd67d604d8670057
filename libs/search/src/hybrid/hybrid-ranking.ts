import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Principal } from '@nexus/core';
import { BLOB_STORE, FsAccess } from '@nexus/filesystem';
import type { BlobStore } from '@nexus/filesystem';
import { DataSource } from 'typeorm';
import type { QueryNode } from '../fulltext/query-parser';
import type { QueryPlan } from '../fulltext/query-plan';
import { EMBEDDING_PROVIDER } from '../search.tokens';
import type { DocumentFilters, MatchedRow } from '../service/fulltext-sql';
import { EmbeddingProviderError } from './embedding-provider';
import type { EmbeddingProvider } from './embedding-provider';
import { excludedWordsCheck } from './excluded-words';
import { positiveWords } from './query-words';
import { reciprocalRankFusion } from './rank-fusion';
import { vectorRanking } from './vector-ranking';

export interface HybridQuery {
  node: QueryNode | null;
  plan: QueryPlan;
  filters: DocumentFilters;
}

/**
 * Hybrid ranking: BM25's readable matches fused (reciprocal rank fusion,
 * k = 60) with the readable documents most similar to the query's words.
 * The fused list's score is the RRF score; BM25's order and the vectors'
 * scores are only inputs (they are on scales that cannot be added).
 */
@Injectable()
export class HybridRanking {
  private readonly logger = new Logger('HybridRanking');

  constructor(
    @Inject(EMBEDDING_PROVIDER) private readonly provider: EmbeddingProvider | null,
    private readonly db: DataSource,
    private readonly access: FsAccess,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
  ) {}

  /** Whether a provider is configured (hybrid is then the default ranking). */
  get available(): boolean {
    return this.provider !== null;
  }

  /**
   * BM25's matches (readable, best first) and the vector candidates, fused;
   * unsorted (the caller orders by score, path, id). Null when the provider
   * fails: the caller answers BM25 alone rather than nothing.
   */
  async fuse(
    principal: Principal,
    query: HybridQuery,
    bm25: readonly MatchedRow[],
  ): Promise<MatchedRow[] | null> {
    const provider = this.provider;
    if (!provider) return null;
    const words = positiveWords(query.node);
    let vector: Float32Array | null = null;
    if (words.length > 0) {
      try {
        [vector = null] = await provider.embed([words.join(' ')]);
      } catch (error) {
        if (!(error instanceof EmbeddingProviderError)) throw error;
        // The message names the provider's origin only (never its key).
        this.logger.warn(`hybrid ranking fell back to BM25: ${error.message}`);
        return null;
      }
    }
    const vectorRows = vector
      ? await vectorRanking(this.db, this.access, principal, {
          zoneId: principal.zoneId,
          vector,
          model: provider.model,
          dimensions: provider.dimensions,
          filters: query.filters,
          excluded: await excludedWordsCheck(this.db, this.blobs, principal.zoneId, query.plan),
        })
      : [];
    const rows = new Map<string, MatchedRow>(vectorRows.map((row) => [row.id, { ...row, hs: [], score: 0 }]));
    for (const row of bm25) rows.set(row.id, row);
    return reciprocalRankFusion([bm25.map((row) => row.id), vectorRows.map((row) => row.id)]).map(
      ({ id, score }) => ({ ...rows.get(id)!, score }),
    );
  }
}
