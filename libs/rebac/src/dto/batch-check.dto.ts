import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsOptional, ValidateNested } from 'class-validator';
import { MAX_BATCH_CHECKS } from '../rebac.service';
import { CheckItemDto } from './check.dto';
import { ConsistencyDto } from './refs.dto';

export class BatchCheckRequestDto {
  @ApiProperty({ type: [CheckItemDto], minItems: 1, maxItems: MAX_BATCH_CHECKS })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BATCH_CHECKS)
  @ValidateNested({ each: true })
  @Type(() => CheckItemDto)
  checks: CheckItemDto[];

  @ApiPropertyOptional({ type: ConsistencyDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ConsistencyDto)
  consistency?: ConsistencyDto;
}

export class BatchCheckErrorDto {
  @ApiProperty({ example: 'RELATION_NOT_FOUND' })
  code: string;

  @ApiProperty()
  message: string;
}

export class BatchCheckItemDto {
  @ApiProperty()
  allowed: boolean;

  @ApiPropertyOptional({
    type: BatchCheckErrorDto,
    description: 'Set when this check could not be evaluated (it then denies)',
  })
  error?: BatchCheckErrorDto;
}

export class BatchCheckResponseDto {
  @ApiProperty({ type: [BatchCheckItemDto], description: 'In request order' })
  results: BatchCheckItemDto[];

  @ApiProperty()
  revision: string;
}
