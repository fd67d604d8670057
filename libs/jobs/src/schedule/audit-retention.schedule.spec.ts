import { WorkerConfig, loadConfig } from '@nexus/core';
import { PRUNE_AUDIT_LOG_JOB } from '../jobs/system-job-types';
import { AuditRetentionSchedule } from './audit-retention.schedule';
import type { PeriodicJob, PeriodicJobs } from './periodic-jobs';

/** What the schedule registers, given the worker's environment. */
function registered(env: Record<string, string>): PeriodicJob[] {
  const jobs: PeriodicJob[] = [];
  const periodic = { register: (job: PeriodicJob) => jobs.push(job) } as unknown as PeriodicJobs;
  const config = loadConfig(WorkerConfig, { DATABASE_URL: 'postgres://x@127.0.0.1/x', ...env });
  new AuditRetentionSchedule(config, periodic).onModuleInit();
  return jobs;
}

describe('AuditRetentionSchedule', () => {
  it('schedules system.prune_audit_log every NEXUS_RETENTION_INTERVAL_MS', () => {
    expect(registered({})).toEqual([{ type: PRUNE_AUDIT_LOG_JOB.type, intervalMs: 3_600_000 }]);
    expect(registered({ NEXUS_RETENTION_INTERVAL_MS: '60000' })).toEqual([
      { type: PRUNE_AUDIT_LOG_JOB.type, intervalMs: 60_000 },
    ]);
  });

  it('schedules nothing when NEXUS_AUDIT_RETENTION_DAYS is 0 (keep all)', () => {
    expect(registered({ NEXUS_AUDIT_RETENTION_DAYS: '0' })).toEqual([]);
  });
});
