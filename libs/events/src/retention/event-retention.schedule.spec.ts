import { WorkerConfig, loadConfig } from '@nexus/core';
import type { PeriodicJob, PeriodicJobs } from '@nexus/jobs';
import { PRUNE_EVENTS_JOB } from './event-retention-job-types';
import { EventRetentionSchedule } from './event-retention.schedule';

/** What the schedule registers, given the worker's environment. */
function registered(env: Record<string, string>): PeriodicJob[] {
  const jobs: PeriodicJob[] = [];
  const periodic = { register: (job: PeriodicJob) => jobs.push(job) } as unknown as PeriodicJobs;
  const config = loadConfig(WorkerConfig, { DATABASE_URL: 'postgres://x@127.0.0.1/x', ...env });
  new EventRetentionSchedule(config, periodic).onModuleInit();
  return jobs;
}

describe('EventRetentionSchedule', () => {
  it('schedules events.prune_events every NEXUS_RETENTION_INTERVAL_MS', () => {
    expect(registered({ NEXUS_RETENTION_INTERVAL_MS: '90000' })).toEqual([
      { type: PRUNE_EVENTS_JOB.type, intervalMs: 90_000 },
    ]);
  });

  it('schedules nothing when NEXUS_EVENT_RETENTION_DAYS is 0 (keep all)', () => {
    expect(registered({ NEXUS_EVENT_RETENTION_DAYS: '0' })).toEqual([]);
  });
});
