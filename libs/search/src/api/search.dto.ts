import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PaginationQueryDto } from '@nexus/core';
import { FILE_KINDS, METADATA_SCHEMA, QueryBoolean } from '@nexus/filesystem';
import type { FileKind, FileMetadata } from '@nexus/filesystem';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { GREP_LIMITS } from '../service/grep-search.service';

const MAX_PATH_CHARS = 4096;

/** `?minRevision=`: answer from an index at least this fresh (waits up to 5 s, else 503 + Retry-After). */
export class FreshnessQueryDto {
  @ApiPropertyOptional({
    description: 'A zone revision from a write response; the answer includes that write',
  })
  @IsOptional()
  @Matches(/^\d{1,20}$/, { message: 'minRevision must be a non-negative decimal integer' })
  minRevision?: string;
}

export class GlobQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({
    description:
      'Accepted for symmetry with the other reads: glob reads the file tree itself, always current',
  })
  @IsOptional()
  @Matches(/^\d{1,20}$/, { message: 'minRevision must be a non-negative decimal integer' })
  minRevision?: string;

  @ApiProperty({ example: 'src/**/*.{ts,tsx}', description: 'picomatch glob, relative to `path`' })
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  pattern: string;

  @ApiPropertyOptional({ default: '/', description: 'The directory the pattern is relative to' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_PATH_CHARS)
  path?: string;

  @ApiPropertyOptional({ default: false, description: 'Let `*` and `**` match names starting with a dot' })
  @IsOptional()
  @QueryBoolean()
  @IsBoolean()
  dot?: boolean;
}

export class GlobMatchResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '/src/app.ts' }) path: string;
  @ApiProperty({ enum: FILE_KINDS, enumName: 'FileKind' }) kind: FileKind;
  @ApiProperty({ type: 'integer' }) size: number;
  @ApiProperty({ type: 'integer' }) version: number;
  @ApiProperty({ type: String, nullable: true }) mimeType: string | null;
  @ApiProperty({ type: [String] }) tags: string[];
  @ApiProperty(METADATA_SCHEMA) metadata: FileMetadata;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class GlobPageResponse {
  @ApiProperty({
    type: [GlobMatchResponse],
    description: 'Matching entries the caller may read, in path order',
  })
  items: GlobMatchResponse[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass back as `cursor` for the next page' })
  nextCursor: string | null;
}

export class GrepRequestDto {
  @ApiProperty({ example: 'fn\\s+parse_\\w+', description: 'RE2 syntax (no backreferences or lookaround)' })
  @IsString()
  @MinLength(1)
  @MaxLength(4096)
  pattern: string;

  @ApiPropertyOptional({ default: '/', description: 'A directory (searched below) or one file' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_PATH_CHARS)
  path?: string;

  @ApiPropertyOptional({
    example: '**/*.ts',
    description: 'Only files matching this picomatch glob (relative to `path`)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  glob?: string;

  @ApiPropertyOptional({ default: false, description: 'Case-insensitive (rg -i)' })
  @IsOptional()
  @IsBoolean()
  ignoreCase?: boolean;

  @ApiPropertyOptional({ default: false, description: 'The pattern is a fixed string (rg -F)' })
  @IsOptional()
  @IsBoolean()
  literal?: boolean;

  @ApiPropertyOptional({ default: false, description: 'Match whole words only (rg -w)' })
  @IsOptional()
  @IsBoolean()
  wordRegexp?: boolean;

  @ApiPropertyOptional({ default: false, description: 'Lines that do not match (rg -v)' })
  @IsOptional()
  @IsBoolean()
  invert?: boolean;

  @ApiPropertyOptional({
    default: 0,
    maximum: GREP_LIMITS.context.max,
    description: 'Lines before each match (rg -B)',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(GREP_LIMITS.context.max)
  contextBefore?: number;

  @ApiPropertyOptional({
    default: 0,
    maximum: GREP_LIMITS.context.max,
    description: 'Lines after each match (rg -A)',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(GREP_LIMITS.context.max)
  contextAfter?: number;

  @ApiPropertyOptional({ default: GREP_LIMITS.maxMatches.default, maximum: GREP_LIMITS.maxMatches.max })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(GREP_LIMITS.maxMatches.max)
  maxMatches?: number;

  @ApiPropertyOptional({
    default: GREP_LIMITS.maxFiles.default,
    maximum: GREP_LIMITS.maxFiles.max,
    description: 'Most files with matches',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(GREP_LIMITS.maxFiles.max)
  maxFiles?: number;

  @ApiPropertyOptional({ description: 'With `path` naming a file: search this version of it' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  version?: number;
}

export class GrepMatchResponse {
  @ApiProperty({ example: '/src/app.ts' }) path: string;
  @ApiProperty({ type: 'integer', description: 'The file version searched' }) version: number;
  @ApiProperty({ type: 'integer', description: '1-based line number' }) line: number;
  @ApiProperty({ type: 'integer', description: '1-based byte column of the first match (as rg --column)' })
  column: number;
  @ApiProperty({ description: 'The line, without its line terminator' }) text: string;
  @ApiProperty({ type: [String] }) before: string[];
  @ApiProperty({ type: [String] }) after: string[];
}

export class GrepResponse {
  @ApiProperty({ type: [GrepMatchResponse], description: 'In (path, line) order' })
  matches: GrepMatchResponse[];
  @ApiProperty({ type: 'integer', description: 'Files read and verified (index candidates)' })
  filesSearched: number;
  @ApiProperty({ type: 'integer' }) bytesScanned: number;
  @ApiProperty({ description: 'The search stopped at a limit before the end' }) truncated: boolean;
  @ApiProperty({ type: String, nullable: true, enum: ['matches', 'files', 'bytes', 'time'] })
  truncatedBy: 'matches' | 'files' | 'bytes' | 'time' | null;
}

export class IndexLagResponse {
  @ApiProperty({ type: 'integer', description: "The zone's last event position" }) head: number;
  @ApiProperty({ type: 'integer', description: 'The last event position the index has taken in' })
  indexed: number;
  @ApiProperty({ type: 'integer', description: 'Events not yet in the index' }) behind: number;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) oldestPendingAt: string | null;
}

export class SearchStatusResponse {
  @ApiProperty({ type: 'integer', description: 'Files in the index' }) files: number;
  @ApiProperty({ type: 'integer', description: 'Their bytes' }) bytes: number;
  @ApiProperty({ type: 'integer', description: 'Files indexed by content' }) textFiles: number;
  @ApiProperty({ type: 'integer', description: 'Binary files (name and metadata only)' }) binaryFiles: number;
  @ApiProperty({ type: 'integer', description: 'Files over NEXUS_SEARCH_MAX_BYTES (name and metadata only)' })
  largeFiles: number;
  @ApiProperty({ type: 'integer', description: 'Bytes the index itself takes in PostgreSQL, all zones' })
  indexBytes: number;
  @ApiProperty({ type: IndexLagResponse }) lag: IndexLagResponse;
}

export class ReindexRequestDto {
  @ApiPropertyOptional({
    default: false,
    description: 'Rebuild every row from its content, even where it is current',
  })
  @IsOptional()
  @IsBoolean()
  full?: boolean;
}

export class ReindexResponse {
  @ApiProperty({
    format: 'uuid',
    description: 'The search.reindex job (GET /api/v1/jobs/:id shows its progress)',
  })
  jobId: string;
  @ApiProperty({ description: 'false when a reindex of the zone was already queued or running' })
  created: boolean;
}
