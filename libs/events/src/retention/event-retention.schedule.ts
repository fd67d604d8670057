import type { OnModuleInit } from '@nestjs/common';
import { Injectable } from '@nestjs/common';
import { WorkerConfig } from '@nexus/core';
import { PeriodicJobs } from '@nexus/jobs';
import { PRUNE_EVENTS_JOB } from './event-retention-job-types';

/** Schedules `events.prune_events` every NEXUS_RETENTION_INTERVAL_MS, unless NEXUS_EVENT_RETENTION_DAYS is 0 (keep all). */
@Injectable()
export class EventRetentionSchedule implements OnModuleInit {
  constructor(
    private readonly config: WorkerConfig,
    private readonly periodic: PeriodicJobs,
  ) {}

  onModuleInit(): void {
    if (this.config.NEXUS_EVENT_RETENTION_DAYS === 0) return;
    this.periodic.register({
      type: PRUNE_EVENTS_JOB.type,
      intervalMs: this.config.NEXUS_RETENTION_INTERVAL_MS,
    });
  }
}
