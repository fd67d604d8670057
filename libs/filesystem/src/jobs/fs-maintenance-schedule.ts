import type { OnModuleInit } from '@nestjs/common';
import { Injectable } from '@nestjs/common';
import { WorkerConfig } from '@nexus/core';
import { PeriodicJobs } from '@nexus/jobs';
import { FS_GC_JOB, FS_PRUNE_OPERATION_LOG_JOB, FS_RECONCILE_JOB } from './fs-job-types';

/**
 * The filesystem's periodic jobs: `filesystem.reconcile` every
 * NEXUS_FS_RECONCILE_INTERVAL_MS, `filesystem.gc` every NEXUS_FS_GC_INTERVAL_MS
 * and `filesystem.prune_operation_log` every NEXUS_RETENTION_INTERVAL_MS (none
 * when NEXUS_OPLOG_RETENTION_DAYS is 0: keep all), one per interval across all
 * workers (PeriodicJobs).
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
    if (this.config.NEXUS_OPLOG_RETENTION_DAYS > 0)
      this.periodic.register({
        type: FS_PRUNE_OPERATION_LOG_JOB.type,
        intervalMs: this.config.NEXUS_RETENTION_INTERVAL_MS,
      });
  }
}
