import { Inject, Injectable } from '@nestjs/common';
import { DOMAINS } from '@nexus/core';
import type { ComposedDomains, DomainEvent, OutboxWriter } from '@nexus/core';
import type { EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { OutboxEvent } from './outbox-event.entity';
import { SYSTEM_EVENT_ZONE } from './outbox-zone-position.entity';

/** Rows per INSERT: a copy of a large tree records thousands of events, past PostgreSQL's parameter limit in one. */
const INSERT_CHUNK = 1_000;

export function zoneKeyOf(zoneId: string | null): string {
  return zoneId ?? SYSTEM_EVENT_ZONE;
}

export function toOutboxRow(event: DomainEvent, zonePosition: bigint): QueryDeepPartialEntity<OutboxEvent> {
  return {
    eventId: event.id,
    zoneKey: zoneKeyOf(event.zoneId),
    zonePosition: zonePosition.toString(),
    type: event.type,
    zoneId: event.zoneId,
    aggregateType: event.aggregateType,
    aggregateId: event.aggregateId,
    actorType: event.actor?.type ?? null,
    actorId: event.actor?.id ?? null,
    occurredAt: new Date(event.occurredAt),
    revision: event.revision,
    // TypeORM's partial-entity type cannot express a free-form jsonb object; the column takes any JSON.
    payload: event.payload as object,
    causationId: event.causationId,
    causationDepth: event.causationDepth,
    correlationId: event.correlationId,
  };
}

/**
 * Raises the zone's last position by `count` and returns the first of the new
 * ones. The row stays locked until the transaction ends: see OutboxZonePosition.
 */
async function takePositions(manager: EntityManager, zoneKey: string, count: number): Promise<bigint> {
  const [row] = await manager.query<{ position: string }[]>(
    `INSERT INTO outbox_zone_positions AS p (zone_key, position) VALUES ($1, $2)
     ON CONFLICT (zone_key) DO UPDATE SET position = p.position + EXCLUDED.position
     RETURNING position`,
    [zoneKey, count],
  );
  return BigInt(row?.position ?? count) - BigInt(count) + 1n;
}

/**
 * The outbox on PostgreSQL: the events go in with the caller's transaction (its
 * EntityManager), numbered per zone. Taking the numbers locks the zone's
 * position row until commit, so appends of one zone commit one after another:
 * append last in the transaction (after any permission write, whose zone lock
 * comes before it in every transaction — one lock order).
 */
@Injectable()
export class TypeOrmOutbox implements OutboxWriter<EntityManager> {
  constructor(@Inject(DOMAINS) private readonly domains: ComposedDomains) {}

  async append(manager: EntityManager, events: readonly DomainEvent[]): Promise<void> {
    for (const event of events) {
      // Fail closed: an event nobody declared would reach no consumer that understands it.
      if (!this.domains.eventTypes.has(event.type))
        throw new Error(`Event type ${event.type} is declared by no mounted domain`);
    }
    if (events.length === 0) return;
    const counts = new Map<string, number>();
    for (const event of events) {
      const key = zoneKeyOf(event.zoneId);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    // Zones in key order: two transactions appending to the same zones lock them in one order.
    const next = new Map<string, bigint>();
    for (const key of [...counts.keys()].sort())
      next.set(key, await takePositions(manager, key, counts.get(key) as number));
    const rows = events.map((event) => {
      const key = zoneKeyOf(event.zoneId);
      const position = next.get(key) as bigint;
      next.set(key, position + 1n);
      return toOutboxRow(event, position);
    });
    // In the given order: sequences and each zone's positions follow it.
    for (let i = 0; i < rows.length; i += INSERT_CHUNK)
      await manager.insert(OutboxEvent, rows.slice(i, i + INSERT_CHUNK));
  }
}
