import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { METADATA_SCHEMA } from '@nexus/filesystem';
import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { MAX_QUERY_LENGTH } from '../fulltext/query-parser';
import { FULLTEXT_LIMITS } from '../service/fulltext-search.service';

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
}

export class FullTextHitResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '/src/config.ts' }) path: string;
  @ApiProperty({ type: 'integer', description: 'The file version indexed' }) version: number;
  @ApiProperty({ description: 'BM25 score (higher is better); 0 for filter-only queries' }) score: number;
  @ApiProperty({ type: 'integer' }) size: number;
  @ApiProperty({ type: String, nullable: true }) mimeType: string | null;
  @ApiProperty({ type: [String] }) tags: string[];
  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'The best stretch of the content, HTML-escaped, matched words in <mark>; null for binary and large files',
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
  @ApiProperty({ type: 'integer', description: 'Matching files the caller may read' }) total: number;
  @ApiProperty({
    type: SearchFacetsResponse,
    description: 'Over all matching readable files, not only this page',
  })
  facets: SearchFacetsResponse;
  @ApiProperty({ type: [String], description: 'The index terms the query expanded to' }) terms: string[];
}
