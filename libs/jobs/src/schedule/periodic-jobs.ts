import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { SYSTEM_ZONE_ID } from '../job-types';
import { JobSubmitter } from '../queue/job-submitter';
import { JOB_WORKER_OPTIONS } from '../worker/job-worker-options';
import type { JobWorkerOptions } from '../worker/job-worker-options';

/** A job submitted once per interval, in the system zone. */
export interface PeriodicJob {
  type: string;
  intervalMs: number;
  payload?: Record<string, unknown>;
}

export const PERIODIC_SUBMITTER = 'system:scheduler';

/** The idempotency key of `type`'s job for the interval `at` falls in: the same on every worker. */
export function periodicJobKey(type: string, intervalMs: number, at: number): string {
  return `${type}/${intervalMs}/${Math.floor(at / intervalMs)}`;
}

/**
 * Submits periodic jobs from the worker. Domains register their schedules (from
 * onModuleInit); every worker runs the timers and the idempotency key, derived
 * from the interval number, makes N workers create one job per interval.
 * Submission goes row-first through JobSubmitter, so a Redis outage delays a job
 * but does not lose it. A bounded run (--once, --max-jobs) only works off what is
 * queued: it schedules nothing.
 */
@Injectable()
export class PeriodicJobs implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('PeriodicJobs');
  private readonly schedules: PeriodicJob[] = [];
  private timers: NodeJS.Timeout[] = [];
  private running = false;

  constructor(
    @Inject(JOB_WORKER_OPTIONS) private readonly options: JobWorkerOptions,
    private readonly submitter: JobSubmitter,
  ) {}

  register(job: PeriodicJob): void {
    this.schedules.push(job);
    if (this.running) this.start(job);
  }

  onApplicationBootstrap(): void {
    if (this.options.jobBudget !== null) return;
    this.running = true;
    for (const job of this.schedules) this.start(job);
  }

  onApplicationShutdown(): void {
    this.running = false;
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
  }

  private start(job: PeriodicJob): void {
    void this.submit(job);
    this.timers.push(setInterval(() => void this.submit(job), job.intervalMs));
  }

  /** Submits `job` for the current interval (nothing when another worker already did). */
  private async submit(job: PeriodicJob): Promise<void> {
    try {
      await this.submitter.submit({
        zoneId: SYSTEM_ZONE_ID,
        createdBy: PERIODIC_SUBMITTER,
        type: job.type,
        payload: job.payload ?? {},
        idempotencyKey: periodicJobKey(job.type, job.intervalMs, Date.now()),
      });
    } catch (error) {
      // The next interval tries again; the job system itself may still be starting.
      this.logger.warn(
        `Scheduling ${job.type} failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}
