import { Inject, Injectable, Logger } from '@nestjs/common';
import type { OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { DOMAINS } from '@nexus/core';
import type { ComposedDomains, DomainEvent, EventVisibilityFilter, Principal } from '@nexus/core';

function isFilter(instance: unknown): instance is EventVisibilityFilter {
  return typeof (instance as { visible?: unknown } | null)?.visible === 'function';
}

/**
 * Which events a caller may see, asking each aggregate type's filter (declared
 * by its domain) once per call. Zone admins see every event of their zone;
 * anyone else sees an event only when its type's filter says so: no filter, or
 * a filter that throws, hides it (fail closed).
 */
@Injectable()
export class EventVisibility implements OnModuleInit {
  private readonly logger = new Logger('EventVisibility');
  private readonly filters = new Map<string, EventVisibilityFilter>();

  constructor(
    @Inject(DOMAINS) private readonly domains: ComposedDomains,
    private readonly moduleRef: ModuleRef,
  ) {}

  /** Resolves every declared filter at start-up: a missing provider is a wiring bug, not a reason to hide silently. */
  onModuleInit(): void {
    for (const [aggregateType, declaration] of this.domains.eventVisibility) {
      let instance: unknown;
      try {
        instance = this.moduleRef.get(declaration.filter, { strict: false });
      } catch {
        throw new Error(
          `Event visibility filter ${declaration.filter.name} of domain ${declaration.domain} is provided by no module ` +
            `(add it to the domain's API module providers)`,
        );
      }
      if (!isFilter(instance))
        throw new Error(
          `Event visibility filter ${declaration.filter.name} has no visible(principal, events)`,
        );
      this.filters.set(aggregateType, instance);
    }
  }

  isZoneAdmin(principal: Principal): boolean {
    return principal.superuser || principal.role === 'admin';
  }

  /** The ids of `events` the principal may see. */
  async visible(principal: Principal, events: readonly DomainEvent[]): Promise<Set<string>> {
    if (events.length === 0) return new Set();
    if (this.isZoneAdmin(principal)) return new Set(events.map((event) => event.id));
    const byType = new Map<string, DomainEvent[]>();
    for (const event of events) {
      const group = byType.get(event.aggregateType) ?? [];
      group.push(event);
      byType.set(event.aggregateType, group);
    }
    const answers = await Promise.all(
      [...byType].map(([aggregateType, group]) => this.ask(principal, aggregateType, group)),
    );
    return new Set(answers.flat());
  }

  private async ask(principal: Principal, aggregateType: string, group: DomainEvent[]): Promise<string[]> {
    const filter = this.filters.get(aggregateType);
    if (!filter) return [];
    try {
      const allowed = await filter.visible(principal, group);
      // Only ids of this group: a filter cannot reveal another type's events.
      return group.filter((event) => allowed.has(event.id)).map((event) => event.id);
    } catch (error) {
      this.logger.warn(
        `Event visibility filter of ${aggregateType} failed; hiding ${group.length} events: ${String(error)}`,
      );
      return [];
    }
  }
}
