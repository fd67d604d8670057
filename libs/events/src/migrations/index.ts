import { EventConsumerPositions1796235329374 } from './1796235329374-EventConsumerPositions';

export const EVENTS_MIGRATIONS = [EventConsumerPositions1796235329374];
