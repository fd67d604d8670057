import type { DataSource } from 'typeorm';

/** A zone whose old events may go: those at or below `upTo`, or any position when null (no consumer). */
export interface PrunableZone {
  zoneKey: string;
  upTo: string | null;
}

/**
 * The zones retention may delete from and how far: the smallest position of
 * the registered `consumers` in each zone. A consumer with no row in a zone is
 * at 0 there, so a zone where any consumer lacks a row is left out. Positions
 * only move forward, so a bound read now stays safe while the deletes run.
 * With no consumer registered every zone is listed with no bound: nobody waits
 * for its events.
 */
export async function prunableZones(db: DataSource, consumers: readonly string[]): Promise<PrunableZone[]> {
  if (consumers.length === 0) {
    // Every zone that ever had an event has its position row (OutboxZonePositions backfilled them).
    const rows = await db.query<Array<{ zone_key: string }>>(
      `SELECT zone_key FROM outbox_zone_positions ORDER BY zone_key`,
    );
    return rows.map((row) => ({ zoneKey: row.zone_key, upTo: null }));
  }
  const rows = await db.query<Array<{ zone_key: string; up_to: string }>>(
    `SELECT zone_key, min(position)::text AS up_to FROM event_consumer_positions
      WHERE consumer = ANY($1)
      GROUP BY zone_key
     HAVING count(*) = $2 AND min(position) > 0
      ORDER BY zone_key`,
    [consumers, consumers.length],
  );
  return rows.map((row) => ({ zoneKey: row.zone_key, upTo: row.up_to }));
}
