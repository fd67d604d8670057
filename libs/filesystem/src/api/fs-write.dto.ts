import { ApiProperty } from '@nestjs/swagger';
import type { WriteResult } from '../fs.types';
import { MutationResponse } from './mutation-response.dto';

/** What a content write answers (for PUT the status, 201 or 200, says whether the file is new). */
export class FileWriteResponse extends MutationResponse {
  @ApiProperty({ example: '/docs/readme.md' })
  path: string;

  @ApiProperty({ type: 'integer', description: 'The version just written' })
  version: number;

  @ApiProperty({ description: 'The new ETag, unquoted (also sent as the ETag header of PUT)' })
  etag: string;

  @ApiProperty({ type: 'integer', description: 'Bytes' })
  size: number;

  @ApiProperty({ description: 'SHA-256 of the content' })
  contentHash: string;
}

export function toFileWriteResponse(result: WriteResult): FileWriteResponse {
  const { path, version, etag, size, contentHash, revision } = result;
  return { path, version, etag, size, contentHash, revision };
}

export class FileEditResponse extends FileWriteResponse {
  @ApiProperty({ type: 'integer', description: 'How many replacements the edits made' })
  replacements: number;
}

export function toFileEditResponse(result: WriteResult & { replacements: number }): FileEditResponse {
  return { ...toFileWriteResponse(result), replacements: result.replacements };
}

/** One file of a batch (the batch's revision is on the batch). */
export class BatchWriteItemResponse {
  @ApiProperty({ example: '/docs/readme.md' })
  path: string;

  @ApiProperty({ type: 'integer' })
  version: number;

  @ApiProperty({ description: 'The new ETag, unquoted' })
  etag: string;

  @ApiProperty({ type: 'integer' })
  size: number;

  @ApiProperty({ description: 'SHA-256 of the content' })
  contentHash: string;

  @ApiProperty({ description: 'Whether the file is new' })
  created: boolean;
}

/** The batch service answers with exactly this shape. */
export class BatchWriteResponse extends MutationResponse {
  @ApiProperty({ type: [BatchWriteItemResponse], description: 'In request order' })
  items: BatchWriteItemResponse[];
}
