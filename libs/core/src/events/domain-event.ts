import { randomUUID } from 'node:crypto';

/** Who caused an event: a subject as the permission engine names it (`user:alice`, `agent:bot-7`). */
export interface EventActor {
  type: string;
  id: string;
}

/**
 * Something that happened in a domain, written to the outbox in the same
 * transaction as the change, so it exists exactly when the change committed.
 * Consumers de-duplicate on `id` (delivery is at least once).
 */
export interface DomainEvent<
  TType extends string = string,
  TPayload extends object = Record<string, unknown>,
> {
  id: string;
  /** Declared by the writing domain (DomainDefinition.eventTypes), e.g. `file_write`. */
  type: TType;
  /** The zone it happened in; null for a system event that belongs to none. */
  zoneId: string | null;
  /** What changed: its kind (`file`) and id. */
  aggregateType: string;
  aggregateId: string;
  actor: EventActor | null;
  /** ISO 8601, UTC. */
  occurredAt: string;
  /** The domain's revision after the change (a decimal string), where the domain keeps one. */
  revision: string | null;
  payload: TPayload;
  /** The event whose processing caused this one (a workflow action); null for a direct request. */
  causationId: string | null;
  /**
   * How many events led to this one: 0 for a direct request, the causing
   * event's depth + 1 otherwise — so consumers can stop loops.
   */
  causationDepth: number;
  /** Ties together everything one request or run caused: the request id where there is one. */
  correlationId: string | null;
}

export type NewDomainEvent<TType extends string, TPayload extends object> = Omit<
  DomainEvent<TType, TPayload>,
  'id' | 'occurredAt' | 'causationDepth'
> & { causationDepth?: number };

export function createDomainEvent<TType extends string, TPayload extends object>(
  event: NewDomainEvent<TType, TPayload>,
  now: Date = new Date(),
): DomainEvent<TType, TPayload> {
  return {
    ...event,
    causationDepth: event.causationDepth ?? 0,
    id: randomUUID(),
    occurredAt: now.toISOString(),
  };
}

/** The fields an event caused by processing `cause` carries (a workflow action's write, say). */
export function causedBy(cause: Pick<DomainEvent, 'id' | 'causationDepth' | 'correlationId'>): {
  causationId: string;
  causationDepth: number;
  correlationId: string | null;
} {
  return {
    causationId: cause.id,
    causationDepth: cause.causationDepth + 1,
    correlationId: cause.correlationId,
  };
}
