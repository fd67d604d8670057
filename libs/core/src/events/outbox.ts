import type { DomainEvent } from './domain-event';

/**
 * The transactional outbox contract every domain writes its events through. A
 * domain appends its events with the same transaction handle that writes its
 * rows, so an event exists exactly when the change committed; the append keeps
 * the given order. An event type no mounted domain declares is refused.
 */
export interface OutboxWriter<TTransaction> {
  append(transaction: TTransaction, events: readonly DomainEvent[]): Promise<void>;
}
