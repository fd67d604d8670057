import { Inject, Injectable } from '@nestjs/common';
import { DOMAINS } from '@nexus/core';
import type { ComposedDomains, DomainEvent, OutboxWriter } from '@nexus/core';
import type { EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { OutboxEvent } from './outbox-event.entity';

/** Rows per INSERT: a copy of a large tree records thousands of events, past PostgreSQL's parameter limit in one. */
const INSERT_CHUNK = 1_000;

export function toOutboxRow(event: DomainEvent): QueryDeepPartialEntity<OutboxEvent> {
  return {
    eventId: event.id,
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
    correlationId: event.correlationId,
  };
}

/** The outbox on PostgreSQL: the events go in with the caller's transaction (its EntityManager). */
@Injectable()
export class TypeOrmOutbox implements OutboxWriter<EntityManager> {
  constructor(@Inject(DOMAINS) private readonly domains: ComposedDomains) {}

  async append(manager: EntityManager, events: readonly DomainEvent[]): Promise<void> {
    for (const event of events) {
      // Fail closed: an event nobody declared would reach no consumer that understands it.
      if (!this.domains.eventTypes.has(event.type))
        throw new Error(`Event type ${event.type} is declared by no mounted domain`);
    }
    for (let i = 0; i < events.length; i += INSERT_CHUNK)
      await manager.insert(OutboxEvent, events.slice(i, i + INSERT_CHUNK).map(toOutboxRow));
  }
}
