import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ObjectRefDto, SubjectRefDto, TupleDto } from '../dto/refs.dto';

/** Response shapes of the REST layer (for the OpenAPI document). */

export class WriteTuplesResponseDto {
  @ApiProperty({ description: 'Revision token of the zone after the write' })
  revision: string;

  @ApiProperty({ description: 'Tuples actually added (existing ones are not counted)' })
  written: number;

  @ApiProperty({ description: 'Tuples actually removed (absent ones are not counted)' })
  deleted: number;
}

export class StoredTupleDto extends TupleDto {
  @ApiProperty()
  createdAt: Date;
}

export class TuplePageDto {
  @ApiProperty({ type: [StoredTupleDto] })
  items: StoredTupleDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;
}

export class TupleChangeDto {
  @ApiProperty({ enum: ['write', 'delete'] })
  operation: 'write' | 'delete';

  @ApiProperty({ type: TupleDto })
  tuple: TupleDto;

  @ApiProperty({ description: 'Revision token of this change' })
  revision: string;

  @ApiProperty()
  at: Date;
}

export class ChangesResponseDto {
  @ApiProperty({ type: [TupleChangeDto], description: 'Oldest first' })
  changes: TupleChangeDto[];

  @ApiProperty({ description: 'Pass back as `since` to continue after the last change returned' })
  revision: string;
}

export class ModelResponseDto {
  @ApiProperty()
  version: number;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'OpenFGA JSON (schema 1.1)' })
  model: unknown;

  @ApiPropertyOptional({ description: 'The model as DSL text (format=dsl)' })
  dsl?: string;

  @ApiProperty()
  createdAt: Date;
}

export class ExpandResponseDto {
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The userset tree' })
  tree: unknown;

  @ApiProperty()
  revision: string;
}

export class ExplainResponseDto {
  @ApiProperty()
  allowed: boolean;

  @ApiProperty({ enum: ['granted', 'no_path', 'cycle'] })
  reason: 'granted' | 'no_path' | 'cycle';

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The evaluation trace' })
  trace: unknown;

  @ApiProperty()
  revision: string;
}

export class ObjectPageDto {
  @ApiProperty({ type: [ObjectRefDto] })
  items: ObjectRefDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;

  @ApiProperty()
  revision: string;
}

export class SubjectPageDto {
  @ApiProperty({ type: [SubjectRefDto] })
  items: SubjectRefDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;

  @ApiProperty()
  revision: string;
}
