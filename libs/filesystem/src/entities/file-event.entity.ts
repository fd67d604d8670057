import { ZoneScoped } from '@nexus/storage-models';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const FILE_EVENT_TYPES = [
  'file_write',
  'file_delete',
  'file_rename',
  'dir_create',
  'dir_delete',
  'metadata_change',
] as const;
export type FileEventType = (typeof FILE_EVENT_TYPES)[number];

/**
 * The outbox of file events (core's DomainEvent shape): appended in the
 * mutation's transaction, so an event exists exactly when its change committed.
 * Subscribers (search, workflows, webhooks) relay rows with `publishedAt` null.
 */
@Entity('file_events')
@Index(['sequence'], { where: '"published_at" IS NULL' })
export class FileEventEntity extends ZoneScoped(class {}) {
  /** Append order, which the relay follows (an outbox needs an order; a uuid has none). */
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  sequence: string;

  /** The DomainEvent id (consumers de-duplicate on it). */
  @Column({ type: 'uuid', unique: true })
  eventId: string;

  @Column({ type: 'varchar', length: 32 })
  type: FileEventType;

  @Column({ type: 'text' })
  path: string;

  @Column({ type: 'varchar', length: 300, nullable: true })
  actor: string | null;

  @Column({ type: 'varchar', length: 128, nullable: true })
  requestId: string | null;

  @Column({ type: 'jsonb' })
  payload: Record<string, unknown>;

  @Column({ type: 'timestamptz' })
  occurredAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  publishedAt: Date | null;
}
