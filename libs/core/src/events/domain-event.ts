import { randomUUID } from 'node:crypto';

/** Something that happened in a domain, recorded in the same transaction as the change. */
export interface DomainEvent<TType extends string = string, TPayload extends object = Record<string, unknown>> {
  id: string;
  type: TType;
  zoneId: string | null;
  aggregateType: string;
  aggregateId: string;
  occurredAt: string;
  actor: { type: string; id: string } | null;
  requestId: string | null;
  payload: TPayload;
}

export type NewDomainEvent<TType extends string, TPayload extends object> = Omit<
  DomainEvent<TType, TPayload>,
  'id' | 'occurredAt'
>;

export function createDomainEvent<TType extends string, TPayload extends object>(
  event: NewDomainEvent<TType, TPayload>,
  now: Date = new Date(),
): DomainEvent<TType, TPayload> {
  return { ...event, id: randomUUID(), occurredAt: now.toISOString() };
}
