import type { DomainEvent } from './domain-event';

/**
 * The transactional outbox contract. A domain appends its events with the same
 * transaction handle that writes its rows, so an event exists exactly when the
 * change committed. A relay later publishes committed, unpublished events and
 * marks them published; publishing is at-least-once, so consumers de-duplicate
 * by event id.
 */
export interface OutboxWriter<TTransaction> {
  append(transaction: TTransaction, events: readonly DomainEvent[]): Promise<void>;
}

export interface OutboxPublisher {
  publish(events: readonly DomainEvent[]): Promise<void>;
}

export interface OutboxRelay {
  /** Publishes up to `limit` pending events in commit order; returns how many were published. */
  relayPending(limit: number): Promise<number>;
}
