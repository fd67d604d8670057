import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * How far one consumer has got in one zone: the last event position it
 * processed (0 = none). The relay locks this row (FOR UPDATE SKIP LOCKED) for
 * the length of a batch, so one worker at a time runs a consumer in a zone,
 * and a worker that dies releases it with its connection.
 */
@Entity('event_consumer_positions')
export class EventConsumerPosition {
  @PrimaryColumn({ type: 'varchar', length: 128 })
  consumer: string;

  /** The zone id, or SYSTEM_EVENT_ZONE (storage-models) for events of no zone. */
  @PrimaryColumn({ type: 'uuid' })
  zoneKey: string;

  @Column({ type: 'bigint', default: 0 })
  position: string;

  /** Failed attempts at the batch after `position` since the last success. */
  @Column({ type: 'integer', default: 0 })
  failures: number;

  @Column({ type: 'text', nullable: true })
  lastError: string | null;

  /** Not before this time is the failed batch tried again (backoff); null when healthy. */
  @Column({ type: 'timestamptz', nullable: true })
  retryAt: Date | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}
