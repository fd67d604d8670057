import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsObject, IsOptional, IsString, MaxLength, Min, ValidateIf } from 'class-validator';
import { MAX_DSL_LENGTH } from '../model/dsl';
import type { ModelInfo } from '../rebac.types';

/* The zone's authorization model. The service answers with exactly the response shape. */

/** A new model version: OpenFGA JSON (schema 1.1) or DSL text, exactly one. */
export class WriteModelRequestDto {
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'OpenFGA JSON authorization model: { schema_version: "1.1", type_definitions: [...] }',
  })
  @ValidateIf((body: WriteModelRequestDto) => body.dsl === undefined)
  @IsObject()
  json?: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'OpenFGA DSL text', example: 'model\n  schema 1.1\ntype user\n' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_DSL_LENGTH)
  dsl?: string;
}

/** GET model: a version (latest when absent), as JSON or also as DSL. */
export class ReadModelQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1 })
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

export class ModelResponse implements ModelInfo {
  @ApiProperty({ type: 'integer' })
  version: number;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'OpenFGA JSON (schema 1.1)' })
  model: unknown;

  @ApiPropertyOptional({ description: 'The model as DSL text (format=dsl)' })
  dsl?: string;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: Date;
}
