import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { EventConsumerPositions } from './consumer-lag';
import { EventRelay } from './event-relay';
import { EventRelayMetrics } from './event-relay-metrics';

/**
 * The worker's event relay: runs every registered consumer over the outbox.
 * Needs from the app DomainsModule (the consumers), DatabaseModule (the
 * DataSource), ConfigModule (WorkerConfig) and ObservabilityModule (metrics).
 */
@Module({})
export class EventRelayModule {
  static forRoot(): DynamicModule {
    return {
      module: EventRelayModule,
      providers: [EventConsumerPositions, EventRelayMetrics, EventRelay],
      exports: [EventConsumerPositions, EventRelay],
    };
  }
}
