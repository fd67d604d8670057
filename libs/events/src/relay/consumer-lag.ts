import { Injectable } from '@nestjs/common';
import { SYSTEM_EVENT_ZONE } from '@nexus/storage-models';
import { DataSource } from 'typeorm';

/** Where one consumer stands in one zone. */
export interface ConsumerZonePosition {
  consumer: string;
  /** The zone id, or SYSTEM_EVENT_ZONE for events of no zone. */
  zoneKey: string;
  zoneId: string | null;
  /** The last position the consumer processed here ('0' = none). */
  position: string;
  /** The zone's last committed position. */
  head: string;
  /** Events behind: head - position. */
  lag: number;
  /** False until the relay first ran the consumer in this zone (no event_consumer_positions row). */
  hasRow: boolean;
  failures: number;
  lastError: string | null;
  /** Set while a failed batch waits out its backoff. */
  retryAt: Date | null;
  /** Not waiting out a backoff: the relay may run it now. */
  due: boolean;
  /** When the first event not yet processed occurred; null when caught up. */
  oldestPendingAt: Date | null;
}

/** One consumer over all zones. */
export interface ConsumerPositions {
  consumer: string;
  /** Events behind, summed over zones. */
  lag: number;
  /** Age of the oldest event not yet processed (0 when caught up). */
  lagSeconds: number;
  zones: ConsumerZonePosition[];
}

interface PositionRow {
  consumer: string;
  zone_key: string;
  position: string;
  head: string;
  has_row: boolean;
  failures: number;
  last_error: string | null;
  retry_at: Date | null;
  due: boolean;
  oldest_pending_at: Date | null;
}

/*
 * Every (consumer, zone) pair: each consumer crossed with every zone that has
 * ever had an event (outbox_zone_positions), its position row left-joined (no
 * row = position 0). One statement for all consumers; its cost grows with
 * consumers × zones (a hash join over both tables, no per-zone round trip),
 * plus one probe of the (zone_key, zone_position) index per pair that is
 * behind, for the age of its oldest pending event. Tens of thousands of zones
 * stay in the milliseconds; far beyond that, a "changed since" marker on the
 * zone rows would be the next step.
 */
function positionsSql(onlyBehind: boolean): string {
  return `
    SELECT c.consumer, z.zone_key, COALESCE(p.position, 0) AS position, z.position AS head,
           p.consumer IS NOT NULL AS has_row, COALESCE(p.failures, 0) AS failures, p.last_error,
           p.retry_at, (p.retry_at IS NULL OR p.retry_at <= now()) AS due,
           CASE WHEN z.position > COALESCE(p.position, 0) THEN
             (SELECT e.occurred_at FROM outbox_events e
               WHERE e.zone_key = z.zone_key AND e.zone_position > COALESCE(p.position, 0)
               ORDER BY e.zone_position LIMIT 1)
           END AS oldest_pending_at
      FROM unnest($1::varchar[]) AS c(consumer)
     CROSS JOIN outbox_zone_positions z
      LEFT JOIN event_consumer_positions p ON p.consumer = c.consumer AND p.zone_key = z.zone_key
     ${onlyBehind ? 'WHERE z.position > COALESCE(p.position, 0)' : ''}
     ORDER BY ${onlyBehind ? 'oldest_pending_at NULLS LAST, c.consumer' : 'c.consumer, z.zone_key'}`;
}

function toZonePosition(row: PositionRow): ConsumerZonePosition {
  return {
    consumer: row.consumer,
    zoneKey: row.zone_key,
    zoneId: row.zone_key === SYSTEM_EVENT_ZONE ? null : row.zone_key,
    position: row.position,
    head: row.head,
    lag: Number(BigInt(row.head) - BigInt(row.position)),
    hasRow: row.has_row,
    failures: row.failures,
    lastError: row.last_error,
    retryAt: row.retry_at,
    due: row.due,
    oldestPendingAt: row.oldest_pending_at,
  };
}

/** Sums zone rows per consumer; every named consumer gets an entry, caught up or not. */
export function summarize(
  consumers: readonly string[],
  zones: readonly ConsumerZonePosition[],
  now: Date = new Date(),
): ConsumerPositions[] {
  const byConsumer = new Map<string, ConsumerPositions>(
    consumers.map((consumer) => [consumer, { consumer, lag: 0, lagSeconds: 0, zones: [] }]),
  );
  for (const zone of zones) {
    const entry = byConsumer.get(zone.consumer);
    if (!entry) continue;
    entry.zones.push(zone);
    entry.lag += zone.lag;
    if (zone.oldestPendingAt) {
      const age = Math.max(0, (now.getTime() - zone.oldestPendingAt.getTime()) / 1000);
      entry.lagSeconds = Math.max(entry.lagSeconds, age);
    }
  }
  return [...byConsumer.values()];
}

/**
 * Reads consumers' positions and lag from PostgreSQL alone (no relay needed):
 * the relay's find-work pass and its lag gauges use `behind`, an API can list
 * `positions`.
 */
@Injectable()
export class EventConsumerPositions {
  constructor(private readonly dataSource: DataSource) {}

  /** The (consumer, zone) pairs with events not yet processed, oldest pending event first. */
  async behind(consumers: readonly string[]): Promise<ConsumerZonePosition[]> {
    if (consumers.length === 0) return [];
    const rows = await this.dataSource.query<PositionRow[]>(positionsSql(true), [consumers]);
    return rows.map(toZonePosition);
  }

  /** Each consumer with every zone that has events, caught up or not. */
  async positions(consumers: readonly string[]): Promise<ConsumerPositions[]> {
    if (consumers.length === 0) return [];
    const rows = await this.dataSource.query<PositionRow[]>(positionsSql(false), [consumers]);
    return summarize(consumers, rows.map(toZonePosition));
  }
}
