import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';

/** Pruning of delivered events, on a schedule. */
@Module({})
export class EventRetentionModule {
  static forRoot(): DynamicModule {
    return { module: EventRetentionModule };
  }
}
