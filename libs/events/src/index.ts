export * from './events.domain';
export * from './entities/event-consumer-position.entity';
// relay
// api
// retention
