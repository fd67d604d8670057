import { composeDomains } from '@nexus/core';
import { EventConsumerPosition } from './entities/event-consumer-position.entity';
import { EVENTS_DOMAIN } from './events.domain';

describe('EVENTS_DOMAIN', () => {
  it('brings the job system along and its positions table, and mounts on both sides', () => {
    const composed = composeDomains([EVENTS_DOMAIN]);
    expect(composed.domains.map((domain) => domain.name)).toEqual(['jobs', 'events']);
    expect(composed.entities).toContain(EventConsumerPosition);
    expect(composed.migrations.map((migration) => migration.name)).toContain(
      'EventConsumerPositions1796235329374',
    );
    expect(composed.workerModules).toHaveLength(1);
  });
});
