import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PaginationQueryDto } from '@nexus/core';
import { Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, MaxLength, Min } from 'class-validator';
import { QueryBoolean } from './query-values';

const MAX_PATH_CHARS = 4096;

/** `?minRevision=`: answer at least as fresh as this zone revision (from an X-Nexus-Revision). */
export class ReadFreshnessQueryDto {
  @ApiPropertyOptional({ description: 'Zone revision (decimal) the answer must be at least as fresh as' })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  minRevision?: string;
}

export class PathQueryDto extends ReadFreshnessQueryDto {
  @ApiProperty({ example: '/docs/readme.md' })
  @IsString()
  @MaxLength(MAX_PATH_CHARS)
  path: string;
}

export class ListQueryDto extends PathQueryDto {
  @ApiPropertyOptional({ default: false, description: 'The whole subtree, in path order' })
  @IsOptional()
  @QueryBoolean()
  @IsBoolean()
  recursive?: boolean;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 1000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  limit?: number;

  @ApiPropertyOptional({ description: 'Opaque cursor from the previous page’s nextCursor' })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  cursor?: string;
}

export class VersionsQueryDto extends PaginationQueryDto {
  @ApiProperty({ example: '/docs/readme.md' })
  @IsString()
  @MaxLength(MAX_PATH_CHARS)
  path: string;
}

export class DiffQueryDto {
  @ApiProperty({ example: '/docs/readme.md' })
  @IsString()
  @MaxLength(MAX_PATH_CHARS)
  path: string;

  @ApiProperty({ type: 'integer', minimum: 1, description: 'The older version' })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  from: number;

  @ApiProperty({ type: 'integer', minimum: 1, description: 'The newer version' })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  to: number;
}

/** Query of `GET /api/v1/files/<path>`. */
export class ReadFileQueryDto extends ReadFreshnessQueryDto {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    description: 'A past version (default: the current one)',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  version?: number;
}

/** Query of `PUT /api/v1/files/<path>`. */
export class WriteFileQueryDto {
  @ApiPropertyOptional({ default: false, description: 'Create missing parent directories' })
  @IsOptional()
  @QueryBoolean()
  @IsBoolean()
  parents?: boolean;
}
