import type { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DEPLOYMENT, REDIS, WorkerConfig, jobsQueueName } from '@nexus/core';
import type { Deployment } from '@nexus/core';
import { DelayedError, Worker } from 'bullmq';
import type { Job as BullJob } from 'bullmq';
import type Redis from 'ioredis';
import { DataSource } from 'typeorm';
import type { WorkerState } from '../entities/worker-heartbeat.entity';
import type { JobDelivery } from '../queue/job-options';
import { JobMetrics } from '../metrics/job-metrics';
import { JobClock } from '../state/clock';
import { ForeignDeliveries } from './foreign-deliveries';
import { JobBudget } from './job-budget';
import { JobMaintenance } from './job-maintenance';
import { JobRunner } from './job-runner';
import { JOB_WORKER_OPTIONS } from './job-worker-options';
import type { JobWorkerOptions } from './job-worker-options';
import { WorkerHeartbeatService } from './worker-heartbeat.service';

/** A bounded run also ends when nothing is due and no job was leased for this long. */
const IDLE_EXIT_MS = 10_000;
/**
 * A delivery for a job this database does not have goes back to the queue for its
 * owner (another deployment on the same queue) this often, then is dropped: a job
 * of ours that was pruned must not circulate forever, and every owner's sweeper
 * republishes its own undelivered jobs from its database anyway.
 */
const FOREIGN_RETRY_MS = 1_000;
const FOREIGN_MAX_RETURNS = 60;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits for `promise`, but no longer than `ms` (and leaves no timer behind). */
async function settleWithin(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

/**
 * The worker side of the job system: consumes deliveries from BullMQ, runs them
 * through JobRunner, heartbeats, sweeps, and drains on shutdown (stop leasing,
 * let running jobs finish for NEXUS_JOB_DRAIN_GRACE_MS, then release their leases).
 */
@Injectable()
export class JobWorkerHost implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('JobWorker');
  private readonly budget: JobBudget;
  private readonly startedAt = new Date();
  private worker?: Worker<JobDelivery>;
  private timers: NodeJS.Timeout[] = [];
  private state: WorkerState = 'running';
  private inFlight = 0;
  private lastLeaseAt = Date.now();
  private finishedResolve?: (count: number) => void;
  private readonly queueName: string;
  private readonly foreign: ForeignDeliveries;
  readonly finished: Promise<number>;

  constructor(
    @Inject(JOB_WORKER_OPTIONS) private readonly options: JobWorkerOptions,
    private readonly config: WorkerConfig,
    private readonly runner: JobRunner,
    private readonly maintenance: JobMaintenance,
    private readonly heartbeat: WorkerHeartbeatService,
    private readonly dataSource: DataSource,
    private readonly clock: JobClock,
    private readonly metrics: JobMetrics,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(DEPLOYMENT) deployment: Deployment,
  ) {
    this.budget = new JobBudget(options.jobBudget);
    this.queueName = jobsQueueName(config.NEXUS_JOBS_QUEUE, deployment);
    this.foreign = new ForeignDeliveries(this.queueName, this.logger);
    this.finished = new Promise((resolve) => (this.finishedResolve = resolve));
  }

  get processed(): number {
    return this.budget.count;
  }

  async onApplicationBootstrap(): Promise<void> {
    this.timers.push(setInterval(() => void this.beat(), this.config.NEXUS_WORKER_HEARTBEAT_MS));
    this.timers.push(setInterval(() => void this.maintenance.runOnce(this.options.workerId), this.config.NEXUS_JOB_SWEEP_INTERVAL_MS));
    await this.beat();
    await this.maintenance.runOnce(this.options.workerId);
    const concurrency = this.options.jobBudget === null ? this.options.concurrency : Math.min(this.options.concurrency, this.options.jobBudget);
    this.worker = new Worker<JobDelivery>(this.queueName, (job, token) => this.process(job, token), {
      // The process's queue-mode connection (maxRetriesPerRequest: null); BullMQ duplicates it for blocking reads.
      connection: this.redis,
      concurrency,
      autorun: true,
    });
    this.worker.on('error', (error: Error) => this.logger.debug?.(`BullMQ worker: ${error.message}`));
    if (this.options.jobBudget !== null) void this.watchBoundedRun();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.state !== 'running') return;
    this.state = 'draining';
    for (const timer of this.timers) clearInterval(timer);
    await this.beat();
    const closing = this.stopLeasing();
    const deadline = Date.now() + this.config.NEXUS_JOB_DRAIN_GRACE_MS;
    while ((this.runner.activeCount > 0 || this.inFlight > 0) && Date.now() < deadline) await sleep(50);
    if (this.runner.activeCount > 0) {
      const released = await this.runner.releaseAll(`worker ${this.options.workerId} drained: lease released`);
      this.logger.warn(`Drain grace over: released ${released} running job(s) back to retry_wait`);
    }
    await settleWithin(closing, 3_000);
    this.state = 'stopped';
    await this.beat();
    this.finishedResolve?.(this.budget.count);
  }

  private async process(delivery: BullJob<JobDelivery>, token?: string): Promise<void> {
    if (this.state !== 'running' || !this.budget.tryReserve()) return;
    this.inFlight += 1;
    try {
      const job = await this.runner.lease(delivery.data.jobId, this.options.workerId).catch((error: unknown) => {
        this.budget.cancel();
        throw error;
      });
      if (job === 'unknown') {
        this.budget.cancel();
        await this.leaveForOwner(delivery, token);
        return;
      }
      if (!job) {
        this.budget.cancel();
        return;
      }
      this.budget.commit();
      this.lastLeaseAt = Date.now();
      if (this.budget.exhausted) void this.stopLeasing();
      await this.runner.execute(job, this.options.workerId);
    } finally {
      this.inFlight -= 1;
    }
  }

  /** Not acknowledged as done: moved back (delayed) so the owner's workers on this queue can take it. */
  private async leaveForOwner(delivery: BullJob<JobDelivery>, token?: string): Promise<void> {
    this.foreign.record();
    const returns = (delivery.data.foreignReturns ?? 0) + 1;
    if (returns > FOREIGN_MAX_RETURNS || !token) return;
    await delivery.updateData({ ...delivery.data, foreignReturns: returns });
    await delivery.moveToDelayed(Date.now() + FOREIGN_RETRY_MS, token);
    throw new DelayedError();
  }

  private stopLeasing(): Promise<void> {
    return this.worker ? this.worker.close().catch(() => undefined) : Promise.resolve();
  }

  /** --once / --max-jobs: resolves `finished` when the budget is spent and idle, or nothing is left to do. */
  private async watchBoundedRun(): Promise<void> {
    while (this.state === 'running') {
      await sleep(200);
      if (this.inFlight > 0 || this.runner.activeCount > 0) continue;
      if (this.budget.exhausted || Date.now() - this.lastLeaseAt > IDLE_EXIT_MS || !(await this.anythingDue())) {
        await this.stopLeasing();
        this.finishedResolve?.(this.budget.count);
        return;
      }
    }
  }

  private async anythingDue(): Promise<boolean> {
    try {
      const rows = await this.dataSource.query<unknown[]>(
        `SELECT 1 FROM jobs WHERE status IN ('queued', 'retry_wait') AND next_run_at <= $1 LIMIT 1`,
        [this.clock.now()],
      );
      return rows.length > 0;
    } catch {
      return true;
    }
  }

  private async beat(): Promise<void> {
    const at = new Date();
    await this.heartbeat.beat({
      workerId: this.options.workerId,
      state: this.state,
      concurrency: this.options.concurrency,
      activeJobs: this.runner.activeCount,
      jobsProcessed: this.budget.count,
      startedAt: this.startedAt,
    });
    this.metrics.observeHeartbeat(at);
  }
}
