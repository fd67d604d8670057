import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { FILE_KINDS } from '../entities/file-path.entity';
import type { FileKind } from '../entities/file-path.entity';
import type { FileStat } from '../fs.types';
import type { FsLockView } from '../service/fs-locks.service';
import type { FileWriteView } from './file-response';

/* OpenAPI shapes of the answers (the services' own types are what is sent). */

export class FileStatDoc implements FileStat {
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Entry id (rebac object `file:<id>`); null for `/`',
  })
  id: string | null;
  @ApiProperty({ example: '/docs/readme.md' })
  path: string;
  @ApiProperty({ example: 'readme.md' })
  name: string;
  @ApiProperty({ enum: FILE_KINDS })
  kind: FileKind;
  @ApiProperty()
  size: number;
  @ApiProperty({ type: String, nullable: true, description: 'SHA-256 of the content' })
  contentHash: string | null;
  @ApiProperty({ type: String, nullable: true })
  mimeType: string | null;
  @ApiProperty()
  version: number;
  @ApiProperty({ type: String, nullable: true })
  etag: string | null;
  @ApiProperty({ type: String, nullable: true })
  owner: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  createdAt: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  updatedAt: string | null;
}

export class FileListDoc {
  @ApiProperty({ type: [FileStatDoc] })
  items: FileStatDoc[];
  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;
}

export class ExistsDoc {
  @ApiProperty()
  path: string;
  @ApiProperty()
  exists: boolean;
}

export class FileWriteDoc implements FileWriteView {
  @ApiProperty()
  path: string;
  @ApiProperty()
  version: number;
  @ApiProperty()
  etag: string;
  @ApiProperty()
  size: number;
  @ApiProperty()
  contentHash: string;
  @ApiProperty({ type: String, nullable: true, description: 'Zone revision the write became visible at' })
  revision: string | null;
  @ApiPropertyOptional({ description: 'edit only: how many replacements were made' })
  replacements?: number;
}

export class LockDoc implements FsLockView {
  @ApiProperty()
  path: string;
  @ApiProperty({ example: 'agent:planner' })
  owner: string;
  @ApiProperty({ description: 'Grows with every grant of this lock' })
  fencingToken: string;
  @ApiProperty({ format: 'date-time' })
  expiresAt: string;
}
