import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';
import { MAX_DSL_LENGTH } from '../model/dsl';

/** A new model version: OpenFGA JSON (schema 1.1) or DSL text, exactly one. */
export class WriteModelRequestDto {
  @ApiPropertyOptional({
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
