import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { MAX_TUPLES_PER_WRITE } from '../rebac-tuples.service';
import { TupleDto } from './refs.dto';

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
