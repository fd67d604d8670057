import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The zone key of events that belong to no zone (system events). */
export const SYSTEM_EVENT_ZONE = '00000000-0000-0000-0000-000000000000';

/**
 * The last event position handed out in a zone. A transaction that appends
 * events raises it and keeps its row locked until commit, so the next
 * transaction of the zone gets its positions only after this one committed (or
 * rolled back, undoing the raise): positions are gapless and in commit order,
 * and a reader that sees position n has every position below it.
 */
@Entity('outbox_zone_positions')
export class OutboxZonePosition {
  /** The zone id, or SYSTEM_EVENT_ZONE. */
  @PrimaryColumn({ type: 'uuid' })
  zoneKey: string;

  @Column({ type: 'bigint' })
  position: string;
}
