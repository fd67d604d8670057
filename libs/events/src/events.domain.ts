import { defineDomain } from '@nexus/core';
import { JOBS_DOMAIN } from '@nexus/jobs';
import { EventsApiModule } from './api/events-api.module';
import { EventConsumerPosition } from './entities/event-consumer-position.entity';
import { EventsWorkerModule } from './events-worker.module';
import { EVENTS_MIGRATIONS } from './migrations';
import { PRUNE_EVENTS_JOB } from './retention/event-retention-job-types';

/**
 * The event platform as a domain: consumers' positions, the relay that feeds
 * every consumer the domains register (DomainDefinition.eventConsumers), the
 * replay and live-stream API, and retention. It knows no domain.
 */
export const EVENTS_DOMAIN = defineDomain({
  name: 'events',
  entities: [EventConsumerPosition],
  migrations: EVENTS_MIGRATIONS,
  jobTypes: [PRUNE_EVENTS_JOB],
  requires: [JOBS_DOMAIN],
  apiModule: () => EventsApiModule.forRoot(),
  workerModule: () => EventsWorkerModule.forRoot(),
});
