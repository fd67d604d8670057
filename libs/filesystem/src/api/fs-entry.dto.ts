import { ApiProperty } from '@nestjs/swagger';
import { FILE_KINDS } from '../entities/file-path.entity';
import type { FileKind, FileMetadata } from '../entities/file-path.entity';
import type { FileStat } from '../fs.types';

/** OpenAPI of a metadata object: flat string, number or boolean values. */
export const METADATA_SCHEMA = {
  type: 'object' as const,
  additionalProperties: {
    oneOf: [{ type: 'string' as const }, { type: 'number' as const }, { type: 'boolean' as const }],
  },
};

/* The services answer stat and list with exactly these shapes, so these classes are the mapping. */

/** One file or directory. */
export class FileStatResponse implements FileStat {
  @ApiProperty({
    type: String,
    nullable: true,
    format: 'uuid',
    description: 'Entry id (rebac object `file:<id>`); null for `/`',
  })
  id: string | null;

  @ApiProperty({ example: '/docs/readme.md' })
  path: string;

  @ApiProperty({ example: 'readme.md' })
  name: string;

  @ApiProperty({ enum: FILE_KINDS, enumName: 'FileKind' })
  kind: FileKind;

  @ApiProperty({ type: 'integer', description: 'Bytes (0 for a directory)' })
  size: number;

  @ApiProperty({ type: String, nullable: true, description: 'SHA-256 of the content (null for a directory)' })
  contentHash: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'text/markdown' })
  mimeType: string | null;

  @ApiProperty({ type: 'integer', description: 'From 1 for a file (0 for a directory), up with every write' })
  version: number;

  @ApiProperty({ type: String, nullable: true, description: 'The ETag, unquoted (null for a directory)' })
  etag: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    example: 'agent:planner',
    description: '`subjectType:subjectId` of the creator',
  })
  owner: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  createdAt: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  updatedAt: string | null;

  @ApiProperty({
    ...METADATA_SCHEMA,
    example: { status: 'reviewed' },
    description: 'User metadata (PATCH /api/v1/fs/metadata)',
  })
  metadata: FileMetadata;

  @ApiProperty({ type: [String], example: ['draft'], description: 'User tags, sorted' })
  tags: string[];
}

/** A page of a directory listing. */
export class FileListResponse {
  @ApiProperty({ type: [FileStatResponse], description: 'Only entries the caller may read' })
  items: FileStatResponse[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass back as `cursor` for the next page' })
  nextCursor: string | null;
}

export class ExistsResponse {
  @ApiProperty({ example: '/docs/readme.md' })
  path: string;

  @ApiProperty()
  exists: boolean;
}
