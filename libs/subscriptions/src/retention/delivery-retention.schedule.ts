import type { OnModuleInit } from '@nestjs/common';
import { Injectable } from '@nestjs/common';
import { WorkerConfig } from '@nexus/core';
import { PeriodicJobs } from '@nexus/jobs';
import { PRUNE_DELIVERIES_JOB } from './delivery-retention-job-types';

/**
 * Schedules `subscriptions.prune_deliveries` every NEXUS_RETENTION_INTERVAL_MS, one per
 * interval across all workers (PeriodicJobs), unless NEXUS_WEBHOOK_DELIVERY_RETENTION_DAYS
 * is 0 (keep all).
 */
@Injectable()
export class DeliveryRetentionSchedule implements OnModuleInit {
  constructor(
    private readonly config: WorkerConfig,
    private readonly periodic: PeriodicJobs,
  ) {}

  onModuleInit(): void {
    if (this.config.NEXUS_WEBHOOK_DELIVERY_RETENTION_DAYS === 0) return;
    this.periodic.register({
      type: PRUNE_DELIVERIES_JOB.type,
      intervalMs: this.config.NEXUS_RETENTION_INTERVAL_MS,
    });
  }
}
