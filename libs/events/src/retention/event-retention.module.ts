import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { EventRetentionSchedule } from './event-retention.schedule';
import { PruneEventsHandler } from './prune-events.handler';

/**
 * Pruning of delivered events, on a schedule: the `events.prune_events`
 * handler and its periodic job. Needs from the worker ConfigModule
 * (WorkerConfig), DomainsModule (the consumers), DatabaseModule and
 * JobsModule.forWorker() (global: PeriodicJobs, JobClock).
 */
@Module({})
export class EventRetentionModule {
  static forRoot(): DynamicModule {
    return { module: EventRetentionModule, providers: [PruneEventsHandler, EventRetentionSchedule] };
  }
}
