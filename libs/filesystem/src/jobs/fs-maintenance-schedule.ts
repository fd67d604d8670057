import type { OnModuleInit } from '@nestjs/common';
import { Injectable } from '@nestjs/common';
import { WorkerConfig } from '@nexus/core';
import { PeriodicJobs } from '@nexus/jobs';
import { FS_GC_JOB, FS_RECONCILE_JOB } from './fs-job-types';

/**
 * The filesystem's periodic jobs: `filesystem.reconcile` every
 * NEXUS_FS_RECONCILE_INTERVAL_MS and `filesystem.gc` every NEXUS_FS_GC_INTERVAL_MS,
 * one per interval across all workers (PeriodicJobs).
 */
@Injectable()
export class FsMaintenanceSchedule implements OnModuleInit {
  constructor(
    private readonly config: WorkerConfig,
    private readonly periodic: PeriodicJobs,
  ) {}

  onModuleInit(): void {
    this.periodic.register({
      type: FS_RECONCILE_JOB.type,
      intervalMs: this.config.NEXUS_FS_RECONCILE_INTERVAL_MS,
    });
    this.periodic.register({ type: FS_GC_JOB.type, intervalMs: this.config.NEXUS_FS_GC_INTERVAL_MS });
  }
}
