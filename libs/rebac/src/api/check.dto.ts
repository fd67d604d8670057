import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsOptional,
  IsString,
  Matches,
  ValidateNested,
} from 'class-validator';
import { MAX_CONTEXTUAL_TUPLES } from '../engine/rebac-engine';
import { MAX_BATCH_CHECKS } from '../rebac.service';
import type { BatchCheckResult, CheckResult, ExpandResult, ExplainResult } from '../rebac.types';
import { NAME_PATTERN } from '../tuple/tuple-parsing';
import { ExpandNodeResponse, TraceNodeResponse } from './evaluation-trees.dto';
import { ConsistencyDto, ObjectRefDto, TupleDto } from './refs.dto';

/* Check, batch check, expand and explain. The service answers with exactly the response shapes. */

/** One check (also the body of explain): may `subject` do `relation` on `object`? */
export class CheckItemDto extends TupleDto {
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

export class CheckResponse implements CheckResult {
  @ApiProperty()
  allowed: boolean;

  @ApiProperty({ description: 'Revision token of the state the answer was computed at' })
  revision: string;
}

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

/** Why one check of a batch could not be evaluated. */
export class BatchCheckErrorResponse {
  @ApiProperty({ example: 'RELATION_NOT_FOUND' })
  code: string;

  @ApiProperty()
  message: string;
}

export class BatchCheckItemResponse {
  @ApiProperty()
  allowed: boolean;

  @ApiPropertyOptional({
    type: BatchCheckErrorResponse,
    description: 'Set when this check could not be evaluated (it then denies)',
  })
  error?: BatchCheckErrorResponse;
}

export class BatchCheckResponse implements BatchCheckResult {
  @ApiProperty({ type: [BatchCheckItemResponse], description: 'In request order' })
  results: BatchCheckItemResponse[];

  @ApiProperty({ description: 'Revision token all checks were computed at' })
  revision: string;
}

/** The userset tree of object#relation. */
export class ExpandRequestDto {
  @ApiProperty({ type: ObjectRefDto })
  @ValidateNested()
  @Type(() => ObjectRefDto)
  object: ObjectRefDto;

  @ApiProperty({ example: 'viewer' })
  @IsString()
  @Matches(NAME_PATTERN)
  relation: string;

  @ApiPropertyOptional({ type: ConsistencyDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ConsistencyDto)
  consistency?: ConsistencyDto;
}

export class ExpandResponse implements ExpandResult {
  @ApiProperty({ type: ExpandNodeResponse, description: 'The userset tree of object#relation' })
  tree: ExpandNodeResponse;

  @ApiProperty({ description: 'Revision token of the state the tree was computed at' })
  revision: string;
}

const EXPLAIN_REASONS = Object.keys({ granted: 1, no_path: 1, cycle: 1 } satisfies Record<
  ExplainResult['reason'],
  1
>);

export class ExplainResponse implements ExplainResult {
  @ApiProperty()
  allowed: boolean;

  @ApiProperty({ enum: EXPLAIN_REASONS, enumName: 'ExplainReason' })
  reason: ExplainResult['reason'];

  @ApiProperty({ type: TraceNodeResponse, description: 'The evaluation, step by step' })
  trace: TraceNodeResponse;

  @ApiProperty({ description: 'Revision token of the state the answer was computed at' })
  revision: string;
}
