import type { Principal } from '../context/principal';
import type { DomainEvent } from './domain-event';

/**
 * Decides which events of one aggregate type a caller may see (replay and live
 * stream), so the events platform needs to know no domain's permissions. A
 * provider of the declaring domain's API module (see
 * DomainDefinition.eventVisibility). `visible` answers for a whole page at
 * once: ask the permission engine once per call, not once per event. A throw
 * hides every event of the call (fail closed).
 */
export interface EventVisibilityFilter {
  /** The ids of the given events the principal may see. */
  visible(principal: Principal, events: readonly DomainEvent[]): Promise<Set<string>>;
}
