import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { PaginationQueryDto } from '@nexus/core';
import { MAX_ID_BYTES, NAME_PATTERN } from '../tuple/tuple-parsing';

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

/** GET changes: after a revision token, oldest first. */
export class ChangesQueryDto {
  @ApiPropertyOptional({ description: 'Revision token; from the beginning when absent' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  since?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 50 })
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

/** GET model: a version (latest when absent), as JSON or also as DSL. */
export class ReadModelQueryDto {
  @ApiPropertyOptional({ minimum: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  version?: number;

  @ApiPropertyOptional({ enum: ['json', 'dsl'], default: 'json' })
  @IsOptional()
  @IsIn(['json', 'dsl'])
  format?: 'json' | 'dsl';
}
