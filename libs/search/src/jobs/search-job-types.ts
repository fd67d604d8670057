import { defineJobType } from '@nexus/core';
import { IsBoolean, IsOptional } from 'class-validator';

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

export const SEARCH_JOB_TYPES = [SEARCH_REINDEX_JOB];
