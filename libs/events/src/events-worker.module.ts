import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { EventRelayModule } from './relay/event-relay.module';
import { EventRetentionModule } from './retention/event-retention.module';

/** The events platform on the worker: the relay and retention. */
@Module({})
export class EventsWorkerModule {
  static forRoot(): DynamicModule {
    return {
      module: EventsWorkerModule,
      imports: [EventRelayModule.forRoot(), EventRetentionModule.forRoot()],
    };
  }
}
