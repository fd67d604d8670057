import { Injectable } from '@nestjs/common';
import { MetricsService } from '@nexus/core';
import { Counter, Gauge, Histogram } from 'prom-client';
import { DataSource } from 'typeorm';
import { JOB_STATUSES } from '../job-types';

/** nexus_jobs{status} (read from Postgres at scrape), run durations and failures. */
@Injectable()
export class JobMetrics {
  private readonly duration: Histogram<'type' | 'outcome'>;
  private readonly failures: Counter<'type'>;

  constructor(metrics: MetricsService, dataSource: DataSource) {
    const registers = [metrics.registry];
    new Gauge({
      name: 'nexus_jobs',
      help: 'Jobs by status (all zones)',
      labelNames: ['status'] as const,
      registers,
      async collect() {
        try {
          const rows = await dataSource.query<Array<{
            status: string;
            n: number;
          }>>('SELECT status, count(*)::int AS n FROM jobs GROUP BY status');
          for (const status of JOB_STATUSES) this.set({ status }, rows.find((row) => row.status === status)?.n ?? 0);
        } catch {
          // The database is away: keep the last values; readiness reports the outage.
        }
      },
    });
    this.duration = new Histogram({
      name: 'nexus_job_duration_seconds',
      help: 'Job run duration in seconds, by type and outcome',
      labelNames: ['type', 'outcome'] as const,
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
      registers,
    });
    this.failures = new Counter({
      name: 'nexus_job_failures_total',
      help: 'Failed job attempts, by type',
      labelNames: ['type'] as const,
      registers,
    });
  }

  observeRun(type: string, outcome: string, seconds: number): void {
    this.duration.observe({ type, outcome }, seconds);
    if (outcome === 'failed' || outcome === 'retry_wait') this.failures.inc({ type });
  }
}
