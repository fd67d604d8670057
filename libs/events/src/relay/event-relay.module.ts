import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';

/** The worker's event relay: runs every registered consumer over the outbox. */
@Module({})
export class EventRelayModule {
  static forRoot(): DynamicModule {
    return { module: EventRelayModule };
  }
}
