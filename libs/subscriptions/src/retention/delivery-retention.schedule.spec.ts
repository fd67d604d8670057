import { WorkerConfig, loadConfig } from '@nexus/core';
import type { PeriodicJob, PeriodicJobs } from '@nexus/jobs';
import { PRUNE_DELIVERIES_JOB } from './delivery-retention-job-types';
import { DeliveryRetentionSchedule } from './delivery-retention.schedule';

/** What the schedule registers, given the worker's environment. */
function registered(env: Record<string, string>): PeriodicJob[] {
  const jobs: PeriodicJob[] = [];
  const periodic = { register: (job: PeriodicJob) => jobs.push(job) } as unknown as PeriodicJobs;
  const config = loadConfig(WorkerConfig, { DATABASE_URL: 'postgres://x@127.0.0.1/x', ...env });
  new DeliveryRetentionSchedule(config, periodic).onModuleInit();
  return jobs;
}

describe('DeliveryRetentionSchedule', () => {
  it('schedules subscriptions.prune_deliveries every NEXUS_RETENTION_INTERVAL_MS', () => {
    expect(registered({ NEXUS_RETENTION_INTERVAL_MS: '90000' })).toEqual([
      { type: PRUNE_DELIVERIES_JOB.type, intervalMs: 90_000 },
    ]);
  });

  it('schedules it by default (30 days) at the default interval', () => {
    expect(registered({})).toEqual([{ type: PRUNE_DELIVERIES_JOB.type, intervalMs: 3_600_000 }]);
  });

  it('schedules nothing when NEXUS_WEBHOOK_DELIVERY_RETENTION_DAYS is 0 (keep all)', () => {
    expect(registered({ NEXUS_WEBHOOK_DELIVERY_RETENTION_DAYS: '0' })).toEqual([]);
  });

  it('refuses a negative or non-integer retention, naming the variable', () => {
    for (const value of ['-1', '1.5', 'soon'])
      expect(() => registered({ NEXUS_WEBHOOK_DELIVERY_RETENTION_DAYS: value })).toThrow(
        /NEXUS_WEBHOOK_DELIVERY_RETENTION_DAYS/,
      );
  });
});
