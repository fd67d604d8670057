import { ApiProperty } from '@nestjs/swagger';
import type { FileVersionView } from '../service/fs-content-ops.service';

/* The version history services answer with exactly these shapes, so these classes are the mapping. */

export class FileVersionResponse implements FileVersionView {
  @ApiProperty({ type: 'integer' })
  version: number;

  @ApiProperty({ type: 'integer', description: 'Bytes' })
  size: number;

  @ApiProperty({ description: 'SHA-256 of the content' })
  contentHash: string;

  @ApiProperty({ type: String, nullable: true })
  mimeType: string | null;

  @ApiProperty({ description: 'The ETag of this version, unquoted' })
  etag: string;

  @ApiProperty({ example: 'agent:planner', description: '`subjectType:subjectId` of the writer' })
  author: string;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}

/** A page of a file's versions, newest first. */
export class FileVersionPageResponse {
  @ApiProperty({ type: [FileVersionResponse] })
  items: FileVersionResponse[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass back as `cursor` for the next page' })
  nextCursor: string | null;
}

export class FileDiffResponse {
  @ApiProperty({ example: '/docs/readme.md' })
  path: string;

  @ApiProperty({ type: 'integer', description: 'The older version' })
  from: number;

  @ApiProperty({ type: 'integer', description: 'The newer version' })
  to: number;

  @ApiProperty({ description: 'Unified diff from version `from` to version `to`' })
  diff: string;
}
