import type { BaseConfig } from '@nexus/core';
import { HashingEmbeddingProvider, OpenAiCompatibleEmbeddingProvider } from './embedding-provider';
import type { EmbeddingProvider } from './embedding-provider';

type EmbeddingSettings = Pick<
  BaseConfig,
  | 'NEXUS_SEARCH_EMBEDDINGS'
  | 'NEXUS_SEARCH_EMBEDDINGS_URL'
  | 'NEXUS_SEARCH_EMBEDDINGS_MODEL'
  | 'NEXUS_SEARCH_EMBEDDINGS_DIMENSIONS'
  | 'NEXUS_SEARCH_EMBEDDINGS_API_KEY'
>;

/**
 * The provider the deployment configured, or null (`none`, the default: BM25
 * only). The config was validated at startup, so `openai` has its URL, model
 * and dimensions; the API key goes into the provider only (never a message).
 */
export function embeddingProviderFrom(config: EmbeddingSettings): EmbeddingProvider | null {
  switch (config.NEXUS_SEARCH_EMBEDDINGS) {
    case 'openai':
      return new OpenAiCompatibleEmbeddingProvider({
        url: config.NEXUS_SEARCH_EMBEDDINGS_URL!,
        model: config.NEXUS_SEARCH_EMBEDDINGS_MODEL!,
        dimensions: config.NEXUS_SEARCH_EMBEDDINGS_DIMENSIONS!,
        apiKey: config.NEXUS_SEARCH_EMBEDDINGS_API_KEY,
      });
    case 'hashing':
      return new HashingEmbeddingProvider({ dimensions: config.NEXUS_SEARCH_EMBEDDINGS_DIMENSIONS });
    default:
      return null;
  }
}
