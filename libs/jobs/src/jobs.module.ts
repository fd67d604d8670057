import type { DynamicModule, Provider } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { JobBatchService } from './service/job-batch.service';
import { JobsController } from './api/jobs.controller';
import { JobsService } from './service/jobs.service';
import { WorkersController } from './api/workers.controller';
import { IntegrityAuditJobHandler } from './jobs/integrity-audit.handler';
import { NoopJobHandler } from './jobs/noop.handler';
import { PruneAuditLogHandler } from './jobs/prune-audit-log.handler';
import { PruneJobsHandler } from './jobs/prune-jobs.handler';
import { JobMetrics } from './metrics/job-metrics';
import { JobQueueMetrics } from './metrics/job-queue-metrics';
import { JobDispatcher } from './queue/job-dispatcher';
import { JobQueue } from './queue/job-queue';
import { JobSubmitter } from './queue/job-submitter';
import { JobHandlerRegistry } from './registry/job-handler-registry';
import { JobTypes } from './registry/job-types.registry';
import { AuditRetentionSchedule } from './schedule/audit-retention.schedule';
import { JobRetentionSchedule } from './schedule/job-retention.schedule';
import { PeriodicJobs } from './schedule/periodic-jobs';
import { JobClock, SystemJobClock } from './state/clock';
import { JobStateMachine } from './state/job-state-machine';
import { JobMaintenance } from './worker/job-maintenance';
import { JobRunner } from './worker/job-runner';
import { JobWorkerHost } from './worker/job-worker-host';
import { JOB_WORKER_OPTIONS } from './worker/job-worker-options';
import type { JobWorkerOptions } from './worker/job-worker-options';
import { OutboxSweeper } from './worker/outbox-sweeper';
import { StaleLeaseSweeper } from './worker/stale-lease-sweeper';
import { WorkerHeartbeatService } from './worker/worker-heartbeat.service';

export interface JobsModuleOptions {
  /** Replaces the system clock (tests move time instead of sleeping). */
  clock?: JobClock;
}

function core(options: JobsModuleOptions): Provider[] {
  return [
    { provide: JobClock, useValue: options.clock ?? new SystemJobClock() },
    JobStateMachine,
    JobQueue,
    JobDispatcher,
    JobTypes,
    JobSubmitter,
  ];
}

/**
 * The job system. `forApi()` mounts the HTTP controllers (submit, read, cancel,
 * workers); `forWorker()` adds the handler registry, the BullMQ processor host,
 * the sweepers, the heartbeat and the system job handlers. Both need ConfigModule,
 * DomainsModule (the declared job types), DatabaseModule, ObservabilityModule from
 * the app (and AuthModule's guard for the API).
 */
@Module({})
export class JobsModule {
  static forApi(options: JobsModuleOptions = {}): DynamicModule {
    return {
      module: JobsModule,
      // Global so domain libraries' API modules can submit jobs (JobSubmitter), as on the worker.
      global: true,
      controllers: [JobsController, WorkersController],
      // Queue gauges only: the job execution metrics (JobMetrics) belong to the worker, which fills them.
      providers: [...core(options), JobQueueMetrics, JobsService, JobBatchService],
      exports: [JobsService, JobBatchService, JobSubmitter, JobStateMachine, JobClock],
    };
  }

  static forWorker(worker: JobWorkerOptions, options: JobsModuleOptions = {}): DynamicModule {
    return {
      module: JobsModule,
      // Global so domain libraries' worker modules can submit jobs (JobSubmitter) and register periodic ones (PeriodicJobs).
      global: true,
      imports: [DiscoveryModule],
      providers: [
        ...core(options),
        { provide: JOB_WORKER_OPTIONS, useValue: worker },
        JobHandlerRegistry,
        JobMetrics,
        JobRunner,
        StaleLeaseSweeper,
        OutboxSweeper,
        JobMaintenance,
        WorkerHeartbeatService,
        JobWorkerHost,
        NoopJobHandler,
        IntegrityAuditJobHandler,
        PruneJobsHandler,
        PruneAuditLogHandler,
        PeriodicJobs,
        JobRetentionSchedule,
        AuditRetentionSchedule,
      ],
      exports: [
        JobWorkerHost,
        JobSubmitter,
        JobStateMachine,
        JobRunner,
        StaleLeaseSweeper,
        OutboxSweeper,
        JobClock,
        PeriodicJobs,
        // So worker services of other libraries (the event relay) can tell a bounded run.
        JOB_WORKER_OPTIONS,
      ],
    };
  }
}
