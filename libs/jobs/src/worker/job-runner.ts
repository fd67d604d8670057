import { Injectable, Logger } from '@nestjs/common';
import { IllegalTransitionError, NotFoundError, WorkerConfig } from '@nexus/core';
import { DataSource } from 'typeorm';
import { JobMetrics } from '../metrics/job-metrics';
import { JobDispatcher } from '../queue/job-dispatcher';
import type { JobOutcome } from '../registry/job-handler';
import { JobHandlerRegistry } from '../registry/job-handler-registry';
import { progressReporter } from '../registry/job-progress';
import { JobStateMachine } from '../state/job-state-machine';
import type { LeasedJob } from '../state/job-state-machine';

export type RunResult =
  'skipped' | 'not_due' | 'succeeded' | 'retry_wait' | 'failed' | 'discarded' | 'released';

interface ActiveRun {
  job: LeasedJob;
  owner: string;
  controller: AbortController;
  released: boolean;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs one delivery: leases the row (the CAS is the real guard against double
 * runs), runs its handler with an abort signal while renewing the lease, then
 * completes or fails it. A lost lease or a cancel aborts the handler and discards
 * its result.
 */
@Injectable()
export class JobRunner {
  private readonly logger = new Logger('JobRunner');
  private readonly active = new Map<string, ActiveRun>();

  constructor(
    private readonly config: WorkerConfig,
    private readonly stateMachine: JobStateMachine,
    private readonly registry: JobHandlerRegistry,
    private readonly dispatcher: JobDispatcher,
    private readonly metrics: JobMetrics,
    private readonly dataSource: DataSource,
  ) {}

  get activeCount(): number {
    return this.active.size;
  }

  /**
   * Leases `jobId` as `owner`. null: someone else holds it or it is finished (a stale
   * delivery); 'unknown': this database has no such job (another deployment's delivery, or pruned).
   */
  async lease(jobId: string, owner: string): Promise<LeasedJob | null | 'unknown'> {
    try {
      const job = await this.stateMachine.lease(jobId, owner, this.config.NEXUS_JOB_LEASE_MS);
      this.metrics.observeLease(job ? 'leased' : 'not_due');
      return job;
    } catch (error) {
      if (error instanceof NotFoundError) {
        this.metrics.observeLease('unknown');
        return 'unknown';
      }
      if (error instanceof IllegalTransitionError) {
        this.metrics.observeLease('stale');
        return null;
      }
      throw error;
    }
  }

  /** Runs a job this worker has leased, to a final state for this attempt. */
  async execute(job: LeasedJob, owner: string): Promise<RunResult> {
    const run: ActiveRun = { job, owner, controller: new AbortController(), released: false };
    this.active.set(job.id, run);
    const started = process.hrtime.bigint();
    const renewEvery = Math.max(100, Math.floor(this.config.NEXUS_JOB_LEASE_MS / 3));
    const renewal = setInterval(() => {
      this.stateMachine.renew(job.id, owner, this.config.NEXUS_JOB_LEASE_MS).then(
        (ours) => {
          if (!ours) run.controller.abort(new Error('lease lost (cancelled or recovered)'));
        },
        (error: unknown) => this.logger.warn(`Lease renewal of job ${job.id} failed: ${message(error)}`),
      );
    }, renewEvery);
    try {
      const outcome = await this.invoke(job, owner, run.controller.signal);
      const result = await this.settle(run, outcome);
      this.metrics.observeRun(job.type, result, Number(process.hrtime.bigint() - started) / 1e9);
      return result;
    } finally {
      clearInterval(renewal);
      this.active.delete(job.id);
    }
  }

  /** Drain: gives every running job's lease back (retry_wait, no attempt used) and aborts its handler. */
  async releaseAll(reason: string): Promise<number> {
    let released = 0;
    for (const run of this.active.values()) {
      try {
        const row = await this.stateMachine.release(run.job.id, run.owner, reason);
        run.released = true;
        released += 1;
        await this.dispatcher.dispatch(row);
      } catch (error) {
        if (!(error instanceof IllegalTransitionError))
          this.logger.warn(`Releasing job ${run.job.id} failed: ${message(error)}`);
      }
      run.controller.abort(new Error(reason));
    }
    return released;
  }

  private async invoke(job: LeasedJob, owner: string, signal: AbortSignal): Promise<JobOutcome> {
    const handler = this.registry.handlerFor(job.type);
    if (!handler) return { status: 'failed', error: `no handler for job type ${job.type}` };
    const reporter = progressReporter(this.dataSource, { id: job.id, leaseOwner: owner });
    try {
      const outcome = await handler.handle(job.payload, {
        jobId: job.id,
        zoneId: job.zoneId,
        createdBy: job.createdBy,
        attempt: job.attemptCount,
        maxAttempts: job.maxAttempts,
        signal,
        progress: reporter.progress,
      });
      await reporter.flush();
      return outcome;
    } catch (error) {
      return { status: 'failed', error: message(error) };
    }
  }

  private async settle(run: ActiveRun, outcome: JobOutcome): Promise<RunResult> {
    if (run.released) return 'released';
    if (run.controller.signal.aborted) return 'discarded';
    try {
      if (outcome.status === 'succeeded') {
        await this.stateMachine.complete(run.job.id, run.owner, outcome.result ?? {});
        return 'succeeded';
      }
      const row = await this.stateMachine.fail(
        run.job.id,
        run.owner,
        outcome.error,
        this.config.RETRY_BACKOFF_SECONDS,
        { retryInMs: outcome.retryInMs, retry: outcome.retry },
      );
      if (row.status === 'retry_wait') await this.dispatcher.dispatch(row);
      return row.status === 'retry_wait' ? 'retry_wait' : 'failed';
    } catch (error) {
      if (error instanceof IllegalTransitionError) {
        this.logger.log(`Result of job ${run.job.id} discarded: ${error.message}`);
        return 'discarded';
      }
      throw error;
    }
  }
}
