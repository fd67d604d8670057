import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Injectable, Logger } from '@nestjs/common';
import { WorkerConfig } from '@nexus/core';
import { JobSubmitter, JobType, SYSTEM_ZONE_ID } from '@nexus/jobs';

interface Schedule {
  type: JobType;
  intervalMs: number;
}

export const MAINTENANCE_SUBMITTER = 'system:filesystem-maintenance';

/** The idempotency key of `type`'s job for the interval `at` falls in: the same on every worker. */
export function maintenanceKey(type: JobType, intervalMs: number, at: number): string {
  return `${type}/${intervalMs}/${Math.floor(at / intervalMs)}`;
}

/**
 * Submits the filesystem's periodic jobs from the worker: `filesystem.reconcile`
 * every NEXUS_FS_RECONCILE_INTERVAL_MS and `filesystem.gc` every
 * NEXUS_FS_GC_INTERVAL_MS, in the system zone. Every worker runs one; the
 * idempotency key (derived from the interval number) makes N workers create
 * one job per interval. Submission goes row-first through JobSubmitter, so a
 * Redis outage delays the job but does not lose it.
 */
@Injectable()
export class FsMaintenanceScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('FsMaintenance');
  private timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly config: WorkerConfig,
    private readonly submitter: JobSubmitter,
  ) {}

  onApplicationBootstrap(): void {
    const schedules: Schedule[] = [
      { type: JobType.FsReconcile, intervalMs: this.config.NEXUS_FS_RECONCILE_INTERVAL_MS },
      { type: JobType.FsGc, intervalMs: this.config.NEXUS_FS_GC_INTERVAL_MS },
    ];
    for (const schedule of schedules) {
      void this.submit(schedule.type, schedule.intervalMs);
      this.timers.push(
        setInterval(() => void this.submit(schedule.type, schedule.intervalMs), schedule.intervalMs),
      );
    }
  }

  onApplicationShutdown(): void {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
  }

  /** Submits the job of the current interval; resolves whether this call created it (false: already there, or failed). */
  async submit(type: JobType, intervalMs: number, at = Date.now()): Promise<boolean> {
    try {
      const { created } = await this.submitter.submit({
        zoneId: SYSTEM_ZONE_ID,
        createdBy: MAINTENANCE_SUBMITTER,
        type,
        payload: {},
        idempotencyKey: maintenanceKey(type, intervalMs, at),
      });
      return created;
    } catch (error) {
      // The next interval tries again; the job system itself may still be starting.
      this.logger.warn(
        `Scheduling ${type} failed: ${error instanceof Error ? error.message : String(error)}`,
      );
      return false;
    }
  }
}
