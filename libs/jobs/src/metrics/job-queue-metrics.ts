import { Injectable } from '@nestjs/common';
import { MetricsService } from '@nexus/core';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { JOB_STATUSES } from '../job-types';

/**
 * nexus_jobs{status}, read from PostgreSQL at scrape. API only: it is the same
 * number from every process, so each worker reporting it would multiply it.
 */
@Injectable()
export class JobQueueMetrics {
  constructor(metrics: MetricsService, dataSource: DataSource) {
    new Gauge({
      name: 'nexus_jobs',
      help: 'Jobs by status (all zones)',
      labelNames: ['status'] as const,
      registers: [metrics.registry],
      async collect() {
        try {
          const rows = await dataSource.query<Array<{ status: string; n: number }>>(
            'SELECT status, count(*)::int AS n FROM jobs GROUP BY status',
          );
          for (const status of JOB_STATUSES)
            this.set({ status }, rows.find((row) => row.status === status)?.n ?? 0);
        } catch {
          // The database is away: keep the last values; readiness reports the outage.
        }
      },
    });
  }
}
