import type { DomainEvent } from './domain-event';

/** An event as the relay hands it out: the DomainEvent and its place in its zone's order. */
export interface DeliveredEvent extends DomainEvent {
  /** The event's position in its zone (a decimal string): gapless, in commit order. */
  position: string;
}

/** The events one consumer receives at once: consecutive events of one zone, in order. */
export interface EventBatch<TTransaction = unknown> {
  consumer: string;
  zoneId: string | null;
  events: readonly DeliveredEvent[];
  /**
   * The relay's transaction, which also moves the consumer's position past the
   * batch: what the handler writes with it commits exactly when the position does.
   */
  transaction: TTransaction;
  /**
   * Runs `task` once the batch has committed (never when it rolls back): what must
   * not happen before the batch's rows are visible, such as publishing jobs they
   * inserted. A task that throws is logged; the batch stays committed.
   */
  afterCommit(task: () => Promise<void>): void;
}

/**
 * What an event consumer implements (see EventConsumerDeclaration). A throw
 * rolls the batch back: the consumer gets the same events again later, and no
 * other consumer waits for it.
 */
export interface EventConsumer<TTransaction = unknown> {
  handle(batch: EventBatch<TTransaction>): Promise<void>;
}
