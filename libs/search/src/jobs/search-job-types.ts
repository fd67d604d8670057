import { defineJobType } from '@nexus/core';
import { IsBoolean, IsOptional, IsString, MaxLength } from 'class-validator';

/** `search.reindex` works on the zone it was submitted in. */
export class SearchReindexPayload {
  /** Rebuild every row from its content, even where the indexed content is current (default false). */
  @IsOptional()
  @IsBoolean()
  full?: boolean;
}

export const SEARCH_REINDEX_JOB = defineJobType({
  type: 'search.reindex',
  payload: SearchReindexPayload,
  summary: "Rebuilds the zone's search index from its files (progress: files done of all)",
});

/** `search.compact` works on the zone it was submitted in. */
export class SearchCompactPayload {
  /** Why it was submitted (shown on the job; e.g. the segments that had piled up). */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  reason?: string;
}

export const SEARCH_COMPACT_JOB = defineJobType({
  type: 'search.compact',
  payload: SearchCompactPayload,
  summary: "Compacts the zone's full-text postings (submitted by the index consumer as segments pile up)",
});

export const SEARCH_JOB_TYPES = [SEARCH_REINDEX_JOB, SEARCH_COMPACT_JOB];
