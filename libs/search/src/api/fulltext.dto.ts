import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { METADATA_SCHEMA } from '@nexus/filesystem';
import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { MAX_QUERY_LENGTH } from '../fulltext/query-parser';
import { FULLTEXT_LIMITS, FULLTEXT_RANKINGS } from '../service/fulltext-search.service';
import type { FullTextRanking } from '../service/fulltext-search.service';

const MAX_FILTER_VALUES = 50;

export class FullTextRequestDto {
  @ApiProperty({
    example: 'parse config -legacy "load file" ext:ts',
    description:
      'Words (all must match), "phrases", `a OR b`, `-excluded`, and filters `path:prefix`, `tag:x` / `-tag:x`, `ext:ts`. ' +
      'Words are stemmed and expanded to identifier parts (camelCase, snake_case) and synonyms.',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_QUERY_LENGTH)
  q: string;

  @ApiPropertyOptional({ default: '/', description: 'A directory (searched below) or one file' })
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  path?: string;

  @ApiPropertyOptional({
    example: '**/*.md',
    description: 'Only files matching this picomatch glob (relative to `path`)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  glob?: string;

  @ApiPropertyOptional({ type: [String], description: 'Files must carry all of these tags' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_FILTER_VALUES)
  @IsString({ each: true })
  tags?: string[];

  @ApiPropertyOptional({
    ...METADATA_SCHEMA,
    example: { status: 'reviewed' },
    description: 'Files whose metadata has these keys with these values',
  })
  @IsOptional()
  @IsObject()
  metadata?: Record<string, unknown>;

  @ApiPropertyOptional({
    type: [String],
    example: ['text/markdown', 'text/*'],
    description: 'Any of these MIME types',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_FILTER_VALUES)
  @IsString({ each: true })
  @MaxLength(255, { each: true })
  mimeTypes?: string[];

  @ApiPropertyOptional({ default: FULLTEXT_LIMITS.limit.default, maximum: FULLTEXT_LIMITS.limit.max })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(FULLTEXT_LIMITS.limit.max)
  limit?: number;

  @ApiPropertyOptional({ description: 'Opaque cursor from the previous page’s nextCursor' })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  cursor?: string;

  @ApiPropertyOptional({
    enum: FULLTEXT_RANKINGS,
    description:
      '`bm25`: BM25 over exact matches. `hybrid`: BM25 fused by reciprocal rank fusion (k = 60) with the ' +
      'documents most similar to the query’s words (embeddings; up to 100 more than the matches). Default ' +
      '`hybrid` when the deployment configures an embedding provider (NEXUS_SEARCH_EMBEDDINGS), else `bm25`; ' +
      '`hybrid` without one is a 400.',
  })
  @IsOptional()
  @IsIn(FULLTEXT_RANKINGS, { message: `ranking must be one of: ${FULLTEXT_RANKINGS.join(', ')}` })
  ranking?: FullTextRanking;
}

export class FullTextHitResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '/src/config.ts' }) path: string;
  @ApiProperty({ type: 'integer', description: 'The file version indexed' }) version: number;
  @ApiProperty({
    description:
      'Higher is better. `bm25`: the BM25 score (0 for filter-only queries); `hybrid`: the fused score, ' +
      'Σ 1/(60 + rank) over the BM25 and vector rankings holding the file',
  })
  score: number;
  @ApiProperty({ type: 'integer' }) size: number;
  @ApiProperty({ type: String, nullable: true }) mimeType: string | null;
  @ApiProperty({ type: [String] }) tags: string[];
  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'The best stretch of the content, HTML-escaped, matched words in <mark> (the start of the content when ' +
      'no word matched: a vector-only hit); null for binary and large files',
  })
  snippet: string | null;
}

export class FacetCountResponse {
  @ApiProperty() value: string;
  @ApiProperty({ type: 'integer' }) count: number;
}

export class SearchFacetsResponse {
  @ApiProperty({ type: [FacetCountResponse], description: 'By first path segment (`/`: files at the root)' })
  directories: FacetCountResponse[];
  @ApiProperty({ type: [FacetCountResponse], description: 'By lowercase extension' })
  extensions: FacetCountResponse[];
  @ApiProperty({ type: [FacetCountResponse] }) tags: FacetCountResponse[];
}

export class FullTextResponse {
  @ApiProperty({ type: [FullTextHitResponse], description: 'Best first; only files the caller may read' })
  items: FullTextHitResponse[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass back as `cursor` for the next page' })
  nextCursor: string | null;
  @ApiProperty({
    type: 'integer',
    description: 'Matching files the caller may read (`hybrid`: with the vector candidates)',
  })
  total: number;
  @ApiProperty({
    type: SearchFacetsResponse,
    description: 'Over all matching readable files, not only this page',
  })
  facets: SearchFacetsResponse;
  @ApiProperty({ type: [String], description: 'The index terms the query expanded to' }) terms: string[];
  @ApiProperty({
    enum: FULLTEXT_RANKINGS,
    description:
      'How the items were ranked (`bm25` when hybrid was asked for but the embedding provider failed)',
  })
  ranking: FullTextRanking;
}
