import { WorkerConfig, loadConfig } from '@nexus/core';
import type { PeriodicJob, PeriodicJobs } from '@nexus/jobs';
import { FS_GC_JOB, FS_PRUNE_OPERATION_LOG_JOB, FS_RECONCILE_JOB } from './fs-job-types';
import { FsMaintenanceSchedule } from './fs-maintenance-schedule';

/** What the schedule registers, given the worker's environment. */
function registered(env: Record<string, string>): PeriodicJob[] {
  const jobs: PeriodicJob[] = [];
  const periodic = { register: (job: PeriodicJob) => jobs.push(job) } as unknown as PeriodicJobs;
  const config = loadConfig(WorkerConfig, { DATABASE_URL: 'postgres://x@127.0.0.1/x', ...env });
  new FsMaintenanceSchedule(config, periodic).onModuleInit();
  return jobs;
}

describe('FsMaintenanceSchedule', () => {
  it('schedules reconcile, gc and the operation log retention, each at its interval', () => {
    expect(registered({ NEXUS_RETENTION_INTERVAL_MS: '120000' })).toEqual([
      { type: FS_RECONCILE_JOB.type, intervalMs: 60_000 },
      { type: FS_GC_JOB.type, intervalMs: 3_600_000 },
      { type: FS_PRUNE_OPERATION_LOG_JOB.type, intervalMs: 120_000 },
    ]);
  });

  it('does not schedule filesystem.prune_operation_log when NEXUS_OPLOG_RETENTION_DAYS is 0 (keep all)', () => {
    expect(registered({ NEXUS_OPLOG_RETENTION_DAYS: '0' }).map((job) => job.type)).toEqual([
      FS_RECONCILE_JOB.type,
      FS_GC_JOB.type,
    ]);
  });
});
