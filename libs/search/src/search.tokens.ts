/** Files over this many bytes are indexed by name and metadata only (NEXUS_SEARCH_MAX_BYTES). */
export const SEARCH_MAX_BYTES = Symbol('SEARCH_MAX_BYTES');

/** The configured EmbeddingProvider (NEXUS_SEARCH_EMBEDDINGS), or null: BM25 only, no embeddings stored. */
export const EMBEDDING_PROVIDER = Symbol('EMBEDDING_PROVIDER');

/** Characters of a file's content embedded after its path (NEXUS_SEARCH_EMBED_CHARS). */
export const SEARCH_EMBED_CHARS = Symbol('SEARCH_EMBED_CHARS');
