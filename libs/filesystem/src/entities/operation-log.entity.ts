import { UuidEntity, ZoneScoped } from '@nexus/storage-models';
import { Column, CreateDateColumn, Entity, Index } from 'typeorm';

export const FS_OPERATIONS = [
  'write',
  'delete',
  'mkdir',
  'rmdir',
  'rename',
  'copy',
  'batch',
  'edit',
  'restore',
  'metadata',
] as const;
export type FsOperation = (typeof FS_OPERATIONS)[number];

/** Every filesystem mutation, written in the transaction that makes it (no write path skips it). */
@Entity('operation_log')
@Index(['zoneId', 'createdAt'])
// Retention (filesystem.prune_operation_log) reads old rows across zones.
@Index(['createdAt'])
export class OperationLogEntry extends ZoneScoped(UuidEntity) {
  /** `subjectType:subjectId`. */
  @Column({ type: 'varchar', length: 300 })
  actor: string;

  @Column({ type: 'varchar', length: 16 })
  op: FsOperation;

  @Column({ type: 'text' })
  path: string;

  @Column({ type: 'text', nullable: true })
  fromPath: string | null;

  @Column({ type: 'varchar', length: 16, default: 'ok' })
  result: string;

  /** The zone revision (raft-kv) the change became visible at; set right after commit. */
  @Column({ type: 'bigint', nullable: true })
  revision: string | null;

  @Column({ type: 'jsonb', nullable: true })
  details: Record<string, unknown> | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
