import type { DynamicModule, Provider } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { BaseConfig } from '@nexus/core';
import { BlobStoreModule, FilesystemServicesModule } from '@nexus/filesystem';
import { SearchController } from './api/search.controller';
import { embeddingProviderFrom } from './hybrid/embedding-config';
import { EmbeddingWriter } from './hybrid/embedding-writer';
import { HybridRanking } from './hybrid/hybrid-ranking';
import { SearchEmbedConsumer } from './hybrid/search-embed.consumer';
import { SearchIndexConsumer } from './index/search-index.consumer';
import { SearchCompactHandler } from './jobs/search-compact.handler';
import { SearchReindexHandler } from './jobs/search-reindex.handler';
import { EMBEDDING_PROVIDER, SEARCH_EMBED_CHARS, SEARCH_MAX_BYTES } from './search.tokens';
import { FullTextSearch } from './service/fulltext-search.service';
import { GlobSearch } from './service/glob-search.service';
import { GrepSearch } from './service/grep-search.service';
import { IndexFreshness } from './service/index-freshness';
import { SearchStatusService } from './service/search-status.service';

/** NEXUS_SEARCH_MAX_BYTES (a worker setting): its default where the process's config lacks it. */
const DEFAULT_MAX_BYTES = 8 * 1024 * 1024;

const maxBytes: Provider = {
  provide: SEARCH_MAX_BYTES,
  inject: [BaseConfig],
  useFactory: (config: BaseConfig & { NEXUS_SEARCH_MAX_BYTES?: number }) =>
    config.NEXUS_SEARCH_MAX_BYTES ?? DEFAULT_MAX_BYTES,
};

/** NEXUS_SEARCH_EMBEDDINGS (API and worker: both configs carry it): the provider, or null for BM25 only. */
const embeddingProvider: Provider = {
  provide: EMBEDDING_PROVIDER,
  inject: [BaseConfig],
  useFactory: (config: BaseConfig) => embeddingProviderFrom(config),
};

const embedChars: Provider = {
  provide: SEARCH_EMBED_CHARS,
  inject: [BaseConfig],
  useFactory: (config: BaseConfig) => config.NEXUS_SEARCH_EMBED_CHARS,
};

/**
 * The search domain. The API side answers glob, grep, status and reindex; the
 * worker side runs the `search.index` and `search.embed` event consumers and
 * the reindex job, reading content through the filesystem's blob store. Both
 * sides get the embedding provider (queries embed their words, the worker
 * embeds documents).
 */
@Module({})
export class SearchModule {
  static forApi(): DynamicModule {
    return {
      module: SearchModule,
      imports: [FilesystemServicesModule],
      controllers: [SearchController],
      providers: [
        embeddingProvider,
        HybridRanking,
        FullTextSearch,
        GlobSearch,
        GrepSearch,
        IndexFreshness,
        SearchStatusService,
      ],
    };
  }

  static forWorker(): DynamicModule {
    return {
      module: SearchModule,
      imports: [BlobStoreModule],
      providers: [
        maxBytes,
        embeddingProvider,
        embedChars,
        EmbeddingWriter,
        SearchIndexConsumer,
        SearchEmbedConsumer,
        SearchReindexHandler,
        SearchCompactHandler,
      ],
    };
  }
}
