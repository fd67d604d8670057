import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsObject, IsOptional, IsString, MaxLength } from 'class-validator';
import { METADATA_LIMITS } from '../metadata/metadata-change';
import type { FileMetadata } from '../entities/file-path.entity';
import { PathBodyDto } from './fs-body.dto';
import { METADATA_SCHEMA } from './fs-entry.dto';

/** PATCH /fs/metadata. Keys and tags are checked by the service (400 naming the field). */
export class UpdateMetadataDto extends PathBodyDto {
  @ApiPropertyOptional({
    ...METADATA_SCHEMA,
    example: { status: 'reviewed', priority: 2 },
    description: `Keys to set (1–${METADATA_LIMITS.keyChars} characters: letters, digits, \`_ . : -\`; values strings up to ${METADATA_LIMITS.stringValueChars} characters, numbers or booleans; at most ${METADATA_LIMITS.keys} keys per entry)`,
  })
  @IsOptional()
  @IsObject()
  set?: Record<string, unknown>;

  @ApiPropertyOptional({ type: [String], description: 'Keys to remove' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(METADATA_LIMITS.keys)
  @IsString({ each: true })
  unset?: string[];

  @ApiPropertyOptional({
    type: [String],
    example: ['draft'],
    description: `Tags to add (1–${METADATA_LIMITS.tagChars} characters: letters, digits, \`_ . : / -\`; at most ${METADATA_LIMITS.tags} per entry)`,
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(METADATA_LIMITS.tags)
  @IsString({ each: true })
  addTags?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Tags to remove' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(METADATA_LIMITS.tags)
  @IsString({ each: true })
  removeTags?: string[];

  @ApiPropertyOptional({ description: 'Apply only while the entry has this etag (or `*`: while it exists)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  ifMatch?: string;
}

export class UpdateMetadataResponse {
  @ApiProperty({ example: '/docs/readme.md' })
  path: string;

  @ApiProperty({ ...METADATA_SCHEMA, description: 'All of the entry’s metadata after the change' })
  metadata: FileMetadata;

  @ApiProperty({ type: [String], description: 'All of the entry’s tags after the change, sorted' })
  tags: string[];

  @ApiProperty({ type: String, nullable: true, description: 'Zone revision the change became visible at' })
  revision: string | null;
}
