import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { PaginationQueryDto } from '@nexus/core';
import { MAX_TUPLES_PER_WRITE } from '../rebac-tuples.service';
import type { ChangesResult, StoredTuple, TupleChange, WriteTuplesResult } from '../rebac.types';
import { MAX_ID_BYTES, NAME_PATTERN } from '../tuple/tuple-parsing';
import { TupleDto } from './refs.dto';

/* Writing, reading and following tuples. The service answers with exactly the response shapes. */

export class WritePreconditionsDto {
  @ApiPropertyOptional({ type: [TupleDto], description: 'Each must exist, or nothing is written (412)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_TUPLES_PER_WRITE)
  @ValidateNested({ each: true })
  @Type(() => TupleDto)
  exist?: TupleDto[];

  @ApiPropertyOptional({ type: [TupleDto], description: 'None may exist, or nothing is written (412)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_TUPLES_PER_WRITE)
  @ValidateNested({ each: true })
  @Type(() => TupleDto)
  absent?: TupleDto[];

  @ApiPropertyOptional({ description: 'The zone must still be at this revision token (412 otherwise)' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  revision?: string;
}

/** Atomic and idempotent: existing writes and absent deletes change nothing. */
export class WriteTuplesRequestDto {
  @ApiPropertyOptional({ type: [TupleDto], maxItems: MAX_TUPLES_PER_WRITE })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_TUPLES_PER_WRITE)
  @ValidateNested({ each: true })
  @Type(() => TupleDto)
  writes?: TupleDto[];

  @ApiPropertyOptional({ type: [TupleDto], maxItems: MAX_TUPLES_PER_WRITE })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_TUPLES_PER_WRITE)
  @ValidateNested({ each: true })
  @Type(() => TupleDto)
  deletes?: TupleDto[];

  @ApiPropertyOptional({ type: WritePreconditionsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => WritePreconditionsDto)
  preconditions?: WritePreconditionsDto;
}

export class WriteTuplesResponse implements WriteTuplesResult {
  @ApiProperty({ description: 'Revision token of the zone after the write' })
  revision: string;

  @ApiProperty({ type: 'integer', description: 'Tuples actually added (existing ones are not counted)' })
  written: number;

  @ApiProperty({ type: 'integer', description: 'Tuples actually removed (absent ones are not counted)' })
  deleted: number;
}

/** GET tuples: any combination of filters (an id needs its type), paged. */
export class ReadTuplesQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ example: 'file' })
  @ValidateIf((query: ReadTuplesQueryDto) => query.objectType !== undefined || query.objectId !== undefined)
  @IsString()
  @Matches(NAME_PATTERN)
  objectType?: string;

  @ApiPropertyOptional({ example: '/docs/a.md' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_ID_BYTES)
  objectId?: string;

  @ApiPropertyOptional({ example: 'viewer' })
  @IsOptional()
  @IsString()
  @Matches(NAME_PATTERN)
  relation?: string;

  @ApiPropertyOptional({ example: 'user' })
  @ValidateIf((query: ReadTuplesQueryDto) => query.subjectType !== undefined || query.subjectId !== undefined)
  @IsString()
  @Matches(NAME_PATTERN)
  subjectType?: string;

  @ApiPropertyOptional({ example: 'alice' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_ID_BYTES)
  subjectId?: string;

  @ApiPropertyOptional({ example: 'member' })
  @IsOptional()
  @IsString()
  @Matches(NAME_PATTERN)
  subjectRelation?: string;
}

export class StoredTupleResponse extends TupleDto implements StoredTuple {
  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: Date;
}

export class TuplePageResponse {
  @ApiProperty({ type: [StoredTupleResponse] })
  items: StoredTupleResponse[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass back as `cursor` for the next page' })
  nextCursor: string | null;
}

/** GET changes: after a revision token, oldest first. */
export class ChangesQueryDto {
  @ApiPropertyOptional({ description: 'Revision token; from the beginning when absent' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  since?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 1000, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  limit?: number;

  @ApiPropertyOptional({ example: 'file' })
  @IsOptional()
  @IsString()
  @Matches(NAME_PATTERN)
  objectType?: string;
}

export class TupleChangeResponse implements TupleChange {
  @ApiProperty({ enum: ['write', 'delete'], enumName: 'TupleOperation' })
  operation: 'write' | 'delete';

  @ApiProperty({ type: TupleDto })
  tuple: TupleDto;

  @ApiProperty({ description: 'Revision token of this change' })
  revision: string;

  @ApiProperty({ type: String, format: 'date-time' })
  at: Date;
}

export class ChangesResponse implements ChangesResult {
  @ApiProperty({ type: [TupleChangeResponse], description: 'Oldest first' })
  changes: TupleChangeResponse[];

  @ApiProperty({ description: 'Pass back as `since` to continue after the last change returned' })
  revision: string;
}
