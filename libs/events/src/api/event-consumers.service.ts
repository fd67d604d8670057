import { Inject, Injectable } from '@nestjs/common';
import { DOMAINS } from '@nexus/core';
import type { ComposedDomains } from '@nexus/core';
import { EventConsumerPositions } from '../relay/consumer-lag';
import type { EventConsumerList } from './event-consumers.dto';

/** The registered consumers and how far each has got in one zone (read from PostgreSQL; no relay needed). */
@Injectable()
export class EventConsumersView {
  constructor(
    @Inject(DOMAINS) private readonly domains: ComposedDomains,
    private readonly positions: EventConsumerPositions,
  ) {}

  async list(zoneId: string, now: Date = new Date()): Promise<EventConsumerList> {
    const declarations = [...this.domains.eventConsumers.values()];
    const positions = await this.positions.positions(declarations.map((consumer) => consumer.name));
    const items = declarations.map((consumer) => {
      const zone = positions
        .find((entry) => entry.consumer === consumer.name)
        ?.zones.find((entry) => entry.zoneKey === zoneId);
      const oldest = zone?.oldestPendingAt ?? null;
      return {
        name: consumer.name,
        domain: consumer.domain,
        eventTypes: [...consumer.eventTypes],
        summary: consumer.summary,
        position: zone?.position ?? '0',
        lag: zone?.lag ?? 0,
        lagSeconds: oldest ? Math.max(0, (now.getTime() - oldest.getTime()) / 1000) : 0,
        failures: zone?.failures ?? 0,
        lastError: zone?.lastError ?? null,
        retryAt: zone?.retryAt?.toISOString() ?? null,
      };
    });
    return { items };
  }
}
