/** Files over this many bytes are indexed by name and metadata only (NEXUS_SEARCH_MAX_BYTES). */
export const SEARCH_MAX_BYTES = Symbol('SEARCH_MAX_BYTES');
