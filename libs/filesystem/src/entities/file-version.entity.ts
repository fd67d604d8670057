import { UuidEntity, ZoneScoped } from '@nexus/storage-models';
import { Column, CreateDateColumn, Entity, Index } from 'typeorm';
import { BIGINT_AS_NUMBER } from './bigint-number.transformer';

/** Every write of a file appends one; the unique index makes a lost or doubled version impossible. */
@Entity('file_versions')
@Index(['pathId', 'version'], { unique: true })
export class FileVersion extends ZoneScoped(UuidEntity) {
  @Column({ type: 'uuid' })
  pathId: string;

  @Column({ type: 'int' })
  version: number;

  @Column({ type: 'char', length: 64 })
  contentHash: string;

  @Column({ type: 'bigint', transformer: BIGINT_AS_NUMBER })
  size: number;

  @Column({ type: 'varchar', length: 255, nullable: true })
  mimeType: string | null;

  /** `subjectType:subjectId` of the writer. */
  @Column({ type: 'varchar', length: 300 })
  author: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
