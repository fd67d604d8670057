import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One row of the outbox every domain writes its DomainEvents to, in the
 * transaction of the change. `sequence` is the append order the relay follows
 * (a uuid has none); `eventId` is what consumers de-duplicate on.
 */
@Entity('outbox_events')
@Index(['zoneId', 'sequence'])
export class OutboxEvent {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  sequence: string;

  @Column({ type: 'uuid', unique: true })
  eventId: string;

  @Column({ type: 'varchar', length: 64 })
  type: string;

  /** Null for a system event that belongs to no zone. */
  @Column({ type: 'uuid', nullable: true })
  zoneId: string | null;

  @Column({ type: 'varchar', length: 64 })
  aggregateType: string;

  @Column({ type: 'varchar', length: 255 })
  aggregateId: string;

  @Column({ type: 'varchar', length: 32, nullable: true })
  actorType: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  actorId: string | null;

  @Column({ type: 'timestamptz' })
  occurredAt: Date;

  @Column({ type: 'bigint', nullable: true })
  revision: string | null;

  @Column({ type: 'jsonb' })
  payload: Record<string, unknown>;

  @Column({ type: 'uuid', nullable: true })
  causationId: string | null;

  @Column({ type: 'varchar', length: 128, nullable: true })
  correlationId: string | null;
}
