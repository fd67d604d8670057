import { SoftDeletable, Timestamped, UuidEntity, ZoneScoped } from '@nexus/storage-models';
import { Column, Entity, Index } from 'typeorm';
import { BIGINT_AS_NUMBER } from './bigint-number.transformer';

/** One metadata value: flat, so it can be filtered on and shown as is. */
export type FileMetadataValue = string | number | boolean;
export type FileMetadata = Record<string, FileMetadataValue>;

export const FILE_KINDS = ['file', 'dir'] as const;
export type FileKind = (typeof FILE_KINDS)[number];

/**
 * One live (or soft-deleted) entry of a zone's tree. `/` is implicit and has no
 * row. Paths use the "C" collation so ordering is byte order and a prefix
 * `LIKE '/a/%'` walks the index (subtree listing and rename).
 * Its row id is the rebac object id (`file:<id>`): permissions follow the entry
 * through renames without rewriting tuples.
 */
@Entity('file_paths')
@Index(['zoneId', 'path'], { unique: true, where: '"deleted_at" IS NULL' })
@Index(['zoneId', 'parentPath', 'name'], { where: '"deleted_at" IS NULL' })
export class FilePath extends SoftDeletable(ZoneScoped(Timestamped(UuidEntity))) {
  @Column({ type: 'text', collation: 'C' })
  path: string;

  @Column({ type: 'text', collation: 'C' })
  parentPath: string;

  /** The last segment. */
  @Column({ type: 'text', collation: 'C' })
  name: string;

  @Column({ type: 'varchar', length: 8 })
  kind: FileKind;

  @Column({ type: 'bigint', default: 0, transformer: BIGINT_AS_NUMBER })
  size: number;

  @Column({ type: 'char', length: 64, nullable: true })
  contentHash: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  mimeType: string | null;

  /** Starts at 1 for files (0 for directories) and only ever grows. */
  @Column({ type: 'int', default: 0 })
  version: number;

  @Column({ type: 'varchar', length: 100, nullable: true })
  etag: string | null;

  /** `subjectType:subjectId` of the creator. */
  @Column({ type: 'varchar', length: 300 })
  owner: string;

  /** User metadata (PATCH /fs/metadata): flat key → string, number or boolean. */
  @Column({ type: 'jsonb', default: {} })
  metadata: FileMetadata;

  /** User tags, sorted and unique. */
  @Column({ type: 'text', array: true, default: '{}' })
  tags: string[];
}
