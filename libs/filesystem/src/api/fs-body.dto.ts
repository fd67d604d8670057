import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  MaxLength,
  Min,
  MinLength,
  ValidateBy,
  ValidateNested,
} from 'class-validator';

const MAX_PATH_CHARS = 4096;
const MAX_BATCH_WRITES = 1000;
const MAX_EDITS = 1000;

/** An object whose every value is a string (path → etag). */
const IsStringRecord = () =>
  ValidateBy({
    name: 'isStringRecord',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'object' &&
        value !== null &&
        !Array.isArray(value) &&
        Object.values(value).every((entry) => typeof entry === 'string'),
      defaultMessage: () => '$property must map paths to etag strings',
    },
  });

export class PathBodyDto {
  @ApiProperty({ example: '/docs/readme.md' })
  @IsString()
  @MaxLength(MAX_PATH_CHARS)
  path: string;
}

export class MkdirDto extends PathBodyDto {
  @ApiPropertyOptional({ default: false, description: 'Create missing parent directories' })
  @IsOptional()
  @IsBoolean()
  parents?: boolean;
}

export class RmdirDto extends PathBodyDto {
  @ApiPropertyOptional({ default: false, description: 'Remove the directory with everything below it' })
  @IsOptional()
  @IsBoolean()
  recursive?: boolean;
}

/** rename and copy. */
export class TransferDto {
  @ApiProperty({ example: '/docs/a.md' })
  @IsString()
  @MaxLength(MAX_PATH_CHARS)
  from: string;

  @ApiProperty({ example: '/docs/b.md' })
  @IsString()
  @MaxLength(MAX_PATH_CHARS)
  to: string;

  @ApiPropertyOptional({ default: false, description: 'Replace an existing file at `to`' })
  @IsOptional()
  @IsBoolean()
  overwrite?: boolean;
}

export class BatchWriteItemDto extends PathBodyDto {
  @ApiProperty({ description: 'The file content, encoded as `encoding` says' })
  @IsString()
  content: string;

  @ApiPropertyOptional({ enum: ['utf8', 'base64'], default: 'utf8' })
  @IsOptional()
  @IsIn(['utf8', 'base64'])
  encoding?: 'utf8' | 'base64';
}

export class BatchWriteDto {
  @ApiProperty({ type: [BatchWriteItemDto], minItems: 1, maxItems: MAX_BATCH_WRITES })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BATCH_WRITES)
  @ValidateNested({ each: true })
  @Type(() => BatchWriteItemDto)
  writes: BatchWriteItemDto[];

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'Etag each named path must currently have',
  })
  @IsOptional()
  @IsStringRecord()
  ifMatch?: Record<string, string>;
}

export class EditDto {
  @ApiProperty({ description: 'Text to find (exactly)' })
  @IsString()
  @MinLength(1)
  find: string;

  @ApiProperty({ description: 'Its replacement' })
  @IsString()
  replace: string;

  @ApiPropertyOptional({ default: false, description: 'Replace every occurrence (default: exactly one)' })
  @IsOptional()
  @IsBoolean()
  all?: boolean;
}

export class EditFileDto extends PathBodyDto {
  @ApiProperty({ type: [EditDto], minItems: 1, maxItems: MAX_EDITS })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_EDITS)
  @ValidateNested({ each: true })
  @Type(() => EditDto)
  edits: EditDto[];

  @ApiPropertyOptional({ description: 'Etag the file must currently have' })
  @IsOptional()
  @IsString()
  ifMatch?: string;
}

export class RestoreDto extends PathBodyDto {
  @ApiProperty({
    type: 'integer',
    minimum: 1,
    description: 'The version whose content becomes the new current version',
  })
  @IsInt()
  @Min(1)
  version: number;
}

export class LockDto extends PathBodyDto {
  @ApiProperty({
    type: 'integer',
    description: 'How long the lock lasts unless released (milliseconds)',
    example: 30000,
  })
  @IsInt()
  ttlMs: number;
}
