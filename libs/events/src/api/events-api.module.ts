import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { EventConsumerPositions } from '../relay/consumer-lag';
import { EventConsumersView } from './event-consumers.service';
import { EventReplay } from './event-replay.service';
import { EventRows } from './event-rows';
import { EventStreamHub } from './event-stream-hub';
import { EventVisibility } from './event-visibility.service';
import { EventsController } from './events.controller';

/** The events HTTP API: replay, live stream, consumers. Needs ConfigModule, DatabaseModule and DOMAINS (global). */
@Module({})
export class EventsApiModule {
  static forRoot(): DynamicModule {
    return {
      module: EventsApiModule,
      controllers: [EventsController],
      providers: [
        EventRows,
        EventVisibility,
        EventReplay,
        EventStreamHub,
        EventConsumerPositions,
        EventConsumersView,
      ],
      exports: [EventVisibility, EventStreamHub],
    };
  }
}
