import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';

/** The events HTTP API: replay, live stream, consumers. */
@Module({})
export class EventsApiModule {
  static forRoot(): DynamicModule {
    return { module: EventsApiModule };
  }
}
