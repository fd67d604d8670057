import type { ModuleRef } from '@nestjs/core';
import { composeDomains, createDomainEvent, defineDomain } from '@nexus/core';
import type { DomainEvent, EventVisibilityFilter, Principal } from '@nexus/core';
import { EventVisibility } from './event-visibility.service';

/** Sees the events whose payload says `public`. */
class WidgetVisibility implements EventVisibilityFilter {
  calls = 0;
  async visible(_principal: Principal, events: readonly DomainEvent[]): Promise<Set<string>> {
    this.calls += 1;
    return new Set(events.filter((event) => event.payload['public'] === true).map((event) => event.id));
  }
}

class BrokenVisibility implements EventVisibilityFilter {
  async visible(): Promise<Set<string>> {
    throw new Error('permission engine down');
  }
}

const DOMAIN = defineDomain({
  name: 'widgets',
  entities: [],
  migrations: [],
  eventTypes: ['widget_made'],
  eventVisibility: [
    { aggregateType: 'widget', filter: WidgetVisibility },
    { aggregateType: 'gadget', filter: BrokenVisibility },
  ],
});

function event(aggregateType: string, payload: Record<string, unknown> = {}): DomainEvent {
  return createDomainEvent({
    type: 'widget_made',
    zoneId: 'zone',
    aggregateType,
    aggregateId: 'x',
    actor: null,
    revision: null,
    payload,
    causationId: null,
    correlationId: null,
  });
}

const principal = (role: Principal['role']): Principal => ({
  subjectType: 'agent',
  subjectId: 'a',
  zoneId: 'zone',
  role,
  superuser: false,
  keyId: null,
});

describe('EventVisibility', () => {
  const widgets = new WidgetVisibility();
  const instances = new Map<unknown, unknown>([
    [WidgetVisibility, widgets],
    [BrokenVisibility, new BrokenVisibility()],
  ]);
  const moduleRef = { get: (type: unknown) => instances.get(type) } as unknown as ModuleRef;
  const visibility = new EventVisibility(composeDomains([DOMAIN]), moduleRef);
  visibility.onModuleInit();

  it('asks each aggregate type’s filter once per call; no filter or a throwing one hides', async () => {
    const shown = event('widget', { public: true });
    const hidden = event('widget');
    const unfiltered = event('thing');
    const broken = event('gadget', { public: true });
    const before = widgets.calls;
    const visible = await visibility.visible(principal('viewer'), [
      shown,
      hidden,
      unfiltered,
      broken,
      event('widget'),
    ]);
    expect([...visible]).toEqual([shown.id]);
    expect(widgets.calls - before).toBe(1);
  });

  it('shows a zone admin every event of the zone, filtered type or not', async () => {
    const events = [event('widget'), event('thing'), event('gadget')];
    expect((await visibility.visible(principal('admin'), events)).size).toBe(3);
    expect((await visibility.visible({ ...principal('viewer'), superuser: true }, events)).size).toBe(3);
  });

  it('refuses to start when a declared filter has no provider', () => {
    const missing = new EventVisibility(composeDomains([DOMAIN]), {
      get: () => {
        throw new Error('not found');
      },
    } as unknown as ModuleRef);
    expect(() => missing.onModuleInit()).toThrow(
      /WidgetVisibility of domain widgets is provided by no module/,
    );
  });
});
