import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsOptional, IsString, Matches, ValidateNested } from 'class-validator';
import { MAX_CONTEXTUAL_TUPLES } from '../engine/rebac-engine';
import { NAME_PATTERN } from '../tuple/tuple-parsing';
import { ConsistencyDto, ObjectRefDto, SubjectRefDto, TupleDto } from './refs.dto';

/** One check (also the body of explain): may `subject` do `relation` on `object`? */
export class CheckItemDto {
  @ApiProperty({ type: ObjectRefDto })
  @ValidateNested()
  @Type(() => ObjectRefDto)
  object: ObjectRefDto;

  @ApiProperty({ example: 'viewer' })
  @IsString()
  @Matches(NAME_PATTERN)
  relation: string;

  @ApiProperty({ type: SubjectRefDto })
  @ValidateNested()
  @Type(() => SubjectRefDto)
  subject: SubjectRefDto;

  @ApiPropertyOptional({
    type: [TupleDto],
    maxItems: MAX_CONTEXTUAL_TUPLES,
    description: 'Evaluated as if stored; never written',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_CONTEXTUAL_TUPLES)
  @ValidateNested({ each: true })
  @Type(() => TupleDto)
  contextualTuples?: TupleDto[];
}

export class CheckRequestDto extends CheckItemDto {
  @ApiPropertyOptional({ type: ConsistencyDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ConsistencyDto)
  consistency?: ConsistencyDto;
}

export class CheckResponseDto {
  @ApiProperty()
  allowed: boolean;

  @ApiProperty({ description: 'Revision token of the state the answer was computed at' })
  revision: string;
}
