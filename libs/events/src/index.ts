export * from './events.domain';
export * from './entities/event-consumer-position.entity';
// relay
export * from './relay/event-relay.module';
export * from './relay/event-relay';
export * from './relay/consumer-lag';
export * from './relay/consumer-batch';
export * from './relay/resolve-consumers';
// api
export * from './api/events-api.module';
export * from './api/event-visibility.service';
export * from './api/event-stream-hub';
export * from './api/event-cursor';
export * from './api/event-response';
export * from './api/events.errors';
// retention
export * from './retention/event-retention-job-types';
export * from './retention/event-retention.module';
export * from './retention/prune-events.handler';
