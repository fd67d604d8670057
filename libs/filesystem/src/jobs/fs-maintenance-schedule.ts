import type { OnModuleInit } from '@nestjs/common';
import { Injectable } from '@nestjs/common';
import { WorkerConfig } from '@nexus/core';
import { JobType, PeriodicJobs } from '@nexus/jobs';

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
      type: JobType.FsReconcile,
      intervalMs: this.config.NEXUS_FS_RECONCILE_INTERVAL_MS,
    });
    this.periodic.register({ type: JobType.FsGc, intervalMs: this.config.NEXUS_FS_GC_INTERVAL_MS });
  }
}
