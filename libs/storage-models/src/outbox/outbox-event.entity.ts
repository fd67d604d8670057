import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One row of the outbox every domain writes its DomainEvents to, in the
 * transaction of the change. `zonePosition` is the order consumers follow:
 * gapless and in commit order per zone (see OutboxZonePosition); `sequence` is
 * the global append order; `eventId` is what consumers de-duplicate on.
 */
@Entity('outbox_events')
@Index(['zoneKey', 'zonePosition'], { unique: true })
// Retention (events.prune_events) reads a zone's old events by age.
@Index(['zoneKey', 'occurredAt'])
export class OutboxEvent {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  sequence: string;

  /** The zone id, or SYSTEM_EVENT_ZONE for an event of no zone. */
  @Column({ type: 'uuid' })
  zoneKey: string;

  @Column({ type: 'bigint' })
  zonePosition: string;

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

  @Column({ type: 'integer', default: 0 })
  causationDepth: number;

  @Column({ type: 'varchar', length: 128, nullable: true })
  correlationId: string | null;
}
