import type { OnModuleInit } from '@nestjs/common';
import { Injectable } from '@nestjs/common';
import { WorkerConfig } from '@nexus/core';
import { PRUNE_JOBS_JOB } from '../jobs/system-job-types';
import { PeriodicJobs } from './periodic-jobs';

/** Schedules `system.prune_jobs` every NEXUS_JOB_PRUNE_INTERVAL_MS, unless NEXUS_JOB_RETENTION_DAYS is 0 (keep all). */
@Injectable()
export class JobRetentionSchedule implements OnModuleInit {
  constructor(
    private readonly config: WorkerConfig,
    private readonly periodic: PeriodicJobs,
  ) {}

  onModuleInit(): void {
    if (this.config.NEXUS_JOB_RETENTION_DAYS === 0) return;
    this.periodic.register({ type: PRUNE_JOBS_JOB.type, intervalMs: this.config.NEXUS_JOB_PRUNE_INTERVAL_MS });
  }
}
