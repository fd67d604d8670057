import type { OnModuleInit } from '@nestjs/common';
import { Injectable } from '@nestjs/common';
import { WorkerConfig } from '@nexus/core';
import { PRUNE_AUDIT_LOG_JOB } from '../jobs/system-job-types';
import { PeriodicJobs } from './periodic-jobs';

/** Schedules `system.prune_audit_log` every NEXUS_RETENTION_INTERVAL_MS, unless NEXUS_AUDIT_RETENTION_DAYS is 0 (keep all). */
@Injectable()
export class AuditRetentionSchedule implements OnModuleInit {
  constructor(
    private readonly config: WorkerConfig,
    private readonly periodic: PeriodicJobs,
  ) {}

  onModuleInit(): void {
    if (this.config.NEXUS_AUDIT_RETENTION_DAYS === 0) return;
    this.periodic.register({
      type: PRUNE_AUDIT_LOG_JOB.type,
      intervalMs: this.config.NEXUS_RETENTION_INTERVAL_MS,
    });
  }
}
