import type { ModuleRef } from '@nestjs/core';
import type { ComposedDomains } from '@nexus/core';
import type { RelayConsumer } from './consumer-batch';

export class EventConsumerRegistrationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Event consumers are misconfigured: ${problems.join('; ')}`);
    this.name = 'EventConsumerRegistrationError';
  }
}

function hasHandle(instance: unknown): instance is RelayConsumer['handler'] {
  return (
    typeof instance === 'object' &&
    instance !== null &&
    typeof (instance as { handle?: unknown }).handle === 'function'
  );
}

/**
 * Every declared consumer with its handler instance, looked up in the whole
 * application (the handler is a provider of the declaring domain's worker
 * module). Throws naming every consumer whose handler is missing, so the worker
 * refuses to start rather than let events pile up unseen.
 */
export function resolveConsumers(domains: ComposedDomains, moduleRef: ModuleRef): RelayConsumer[] {
  const problems: string[] = [];
  const consumers: RelayConsumer[] = [];
  for (const declaration of domains.eventConsumers.values()) {
    const where = `event consumer ${declaration.name} of domain ${declaration.domain}`;
    let instance: unknown;
    try {
      instance = moduleRef.get(declaration.handler, { strict: false });
    } catch {
      problems.push(
        `${where}: its handler ${declaration.handler.name} is provided by no module ` +
          `(add it to the domain's worker module providers)`,
      );
      continue;
    }
    if (!hasHandle(instance)) {
      problems.push(`${where}: ${declaration.handler.name} has no handle(batch) method`);
      continue;
    }
    consumers.push({
      name: declaration.name,
      domain: declaration.domain,
      eventTypes: declaration.eventTypes,
      handler: instance,
    });
  }
  if (problems.length > 0) throw new EventConsumerRegistrationError(problems);
  return consumers;
}
