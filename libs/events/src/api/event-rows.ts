import { Injectable } from '@nestjs/common';
import type { DomainEvent } from '@nexus/core';
import { DataSource } from 'typeorm';
import type { EventFilter } from './event-filter';

/** An outbox event with its place in its zone's order. */
export interface StoredEvent extends DomainEvent {
  position: bigint;
}

interface EventRow {
  position: string;
  event_id: string;
  type: string;
  zone_id: string | null;
  aggregate_type: string;
  aggregate_id: string;
  actor_type: string | null;
  actor_id: string | null;
  occurred_at: Date;
  revision: string | null;
  payload: Record<string, unknown>;
  causation_id: string | null;
  causation_depth: number;
  correlation_id: string | null;
}

const COLUMNS = `zone_position AS position, event_id, type, zone_id, aggregate_type, aggregate_id,
  actor_type, actor_id, occurred_at, revision, payload, causation_id, causation_depth, correlation_id`;

function toStoredEvent(row: EventRow): StoredEvent {
  return {
    position: BigInt(row.position),
    id: row.event_id,
    type: row.type,
    zoneId: row.zone_id,
    aggregateType: row.aggregate_type,
    aggregateId: row.aggregate_id,
    actor: row.actor_type && row.actor_id ? { type: row.actor_type, id: row.actor_id } : null,
    occurredAt: row.occurred_at.toISOString(),
    revision: row.revision,
    payload: row.payload,
    causationId: row.causation_id,
    causationDepth: row.causation_depth,
    correlationId: row.correlation_id,
  };
}

/** `/a` matches `/a` and what starts with `/a/`; LIKE would need its wildcards escaped, starts_with does not. */
function pathCondition(column: string, exact: string, below: string): string {
  return `(payload->>'${column}' = ${exact} OR starts_with(payload->>'${column}', ${below}))`;
}

/**
 * Reads a zone's outbox in position order. Positions are gapless and in commit
 * order per zone, so `zone_position > n` never skips an event that commits later.
 */
@Injectable()
export class EventRows {
  constructor(private readonly dataSource: DataSource) {}

  /** The zone's last committed position (0 before its first event): every position up to it is readable. */
  async head(zoneId: string): Promise<bigint> {
    const rows = await this.dataSource.query<Array<{ position: string }>>(
      'SELECT position FROM outbox_zone_positions WHERE zone_key = $1',
      [zoneId],
    );
    return rows[0] ? BigInt(rows[0].position) : 0n;
  }

  /**
   * The zone's head and the position before its oldest stored event (retention
   * deletes the oldest): a replay from before that has nothing to examine there.
   */
  async bounds(zoneId: string): Promise<{ head: bigint; floor: bigint }> {
    const [row] = await this.dataSource.query<Array<{ head: string | null; first: string | null }>>(
      `SELECT (SELECT position FROM outbox_zone_positions WHERE zone_key = $1) AS head,
              (SELECT min(zone_position) FROM outbox_events WHERE zone_key = $1) AS first`,
      [zoneId],
    );
    const head = row?.head ? BigInt(row.head) : 0n;
    return { head, floor: row?.first ? BigInt(row.first) - 1n : head };
  }

  /** Up to `limit` events after `after` (and up to `until` when given) that match `filter`, in order. */
  async read(
    zoneId: string,
    after: bigint,
    limit: number,
    options: { until?: bigint; filter?: EventFilter } = {},
  ): Promise<StoredEvent[]> {
    const params: unknown[] = [zoneId, after.toString()];
    const param = (value: unknown) => `$${params.push(value)}`;
    const conditions = ['zone_key = $1', 'zone_position > $2'];
    if (options.until !== undefined) conditions.push(`zone_position <= ${param(options.until.toString())}`);
    const filter = options.filter;
    if (filter?.types) conditions.push(`type = ANY(${param([...filter.types])}::varchar[])`);
    if (filter?.path === '/') {
      conditions.push(`(starts_with(payload->>'path', '/') OR starts_with(payload->>'from', '/'))`);
    } else if (filter?.path) {
      const exact = param(filter.path);
      const below = param(`${filter.path}/`);
      conditions.push(`(${pathCondition('path', exact, below)} OR ${pathCondition('from', exact, below)})`);
    }
    const rows = await this.dataSource.query<EventRow[]>(
      `SELECT ${COLUMNS} FROM outbox_events WHERE ${conditions.join(' AND ')}
        ORDER BY zone_position LIMIT ${param(limit)}`,
      params,
    );
    return rows.map(toStoredEvent);
  }
}
