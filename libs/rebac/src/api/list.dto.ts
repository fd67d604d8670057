import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT } from '@nexus/core';
import { MAX_CONTEXTUAL_TUPLES } from '../engine/rebac-engine';
import { NAME_PATTERN } from '../tuple/tuple-parsing';
import { ConsistencyDto, ObjectRefDto, SubjectRefDto, TupleDto } from './refs.dto';

/* list-objects and list-subjects. The service answers with exactly the response shapes. */

/** Paging fields of list bodies (the same rules as PaginationQueryDto). */
class PagedBodyDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_PAGE_LIMIT, default: DEFAULT_PAGE_LIMIT })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_LIMIT)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  cursor?: string;

  @ApiPropertyOptional({ type: [TupleDto], maxItems: MAX_CONTEXTUAL_TUPLES })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_CONTEXTUAL_TUPLES)
  @ValidateNested({ each: true })
  @Type(() => TupleDto)
  contextualTuples?: TupleDto[];

  @ApiPropertyOptional({ type: ConsistencyDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ConsistencyDto)
  consistency?: ConsistencyDto;
}

/** Every object of `type` on which `subject` has `relation` (complete, paged by id). */
export class ListObjectsRequestDto extends PagedBodyDto {
  @ApiProperty({ example: 'file' })
  @IsString()
  @Matches(NAME_PATTERN)
  type: string;

  @ApiProperty({ example: 'viewer' })
  @IsString()
  @Matches(NAME_PATTERN)
  relation: string;

  @ApiProperty({ type: SubjectRefDto })
  @ValidateNested()
  @Type(() => SubjectRefDto)
  subject: SubjectRefDto;
}

export class SubjectFilterDto {
  @ApiProperty({ example: 'user' })
  @IsString()
  @Matches(NAME_PATTERN)
  type: string;

  @ApiPropertyOptional({
    example: 'member',
    description: 'List usersets type:id#relation instead of objects',
  })
  @IsOptional()
  @IsString()
  @Matches(NAME_PATTERN)
  relation?: string;
}

/** Every subject matching the filters that has `relation` on `object` (complete, paged). */
export class ListSubjectsRequestDto extends PagedBodyDto {
  @ApiProperty({ type: ObjectRefDto })
  @ValidateNested()
  @Type(() => ObjectRefDto)
  object: ObjectRefDto;

  @ApiProperty({ example: 'viewer' })
  @IsString()
  @Matches(NAME_PATTERN)
  relation: string;

  @ApiProperty({ type: [SubjectFilterDto], minItems: 1 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => SubjectFilterDto)
  subjectFilters: SubjectFilterDto[];
}

export class ObjectPageResponse {
  @ApiProperty({ type: [ObjectRefDto] })
  items: ObjectRefDto[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass back as `cursor` for the next page' })
  nextCursor: string | null;

  @ApiProperty({ description: 'Revision token of the state the list was computed at' })
  revision: string;
}

export class SubjectPageResponse {
  @ApiProperty({ type: [SubjectRefDto] })
  items: SubjectRefDto[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass back as `cursor` for the next page' })
  nextCursor: string | null;

  @ApiProperty({ description: 'Revision token of the state the list was computed at' })
  revision: string;
}
