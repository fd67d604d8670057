import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { CONSISTENCY_MODES } from '../rebac.types';
import type { ConsistencyMode } from '../rebac.types';
import { MAX_ID_BYTES, NAME_PATTERN } from '../tuple/tuple-parsing';

/** An object: `{ type: 'file', id: '/docs/a.md' }`. */
export class ObjectRefDto {
  @ApiProperty({ example: 'file', pattern: NAME_PATTERN.source })
  @IsString()
  @Matches(NAME_PATTERN)
  type: string;

  @ApiProperty({ example: '/docs/a.md', maxLength: MAX_ID_BYTES })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_ID_BYTES)
  id: string;
}

/** A subject: an object (`user:alice`), a wildcard (`id: '*'`) or a userset (with relation). */
export class SubjectRefDto {
  @ApiProperty({ example: 'user', pattern: NAME_PATTERN.source })
  @IsString()
  @Matches(NAME_PATTERN)
  type: string;

  @ApiProperty({ example: 'alice', description: "'*' for every subject of the type" })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_ID_BYTES)
  id: string;

  @ApiPropertyOptional({ example: 'member', description: 'Makes the subject a userset (group:eng#member)' })
  @IsOptional()
  @IsString()
  @Matches(NAME_PATTERN)
  relation?: string;
}

export class TupleDto {
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
}

export class ConsistencyDto {
  @ApiProperty({ enum: CONSISTENCY_MODES, default: 'minimize_latency' })
  @IsIn(CONSISTENCY_MODES)
  mode: ConsistencyMode;

  @ApiPropertyOptional({ description: 'Revision token (required for at_least_as_fresh)' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  token?: string;
}
