import { Injectable } from '@nestjs/common';
import { MetricsService } from '@nexus/core';
import { Counter, Histogram } from 'prom-client';

/**
 * Job execution metrics: run durations and failed attempts. Worker only — the
 * API never runs a job, so it would only show empty series (it has JobQueueMetrics).
 */
@Injectable()
export class JobMetrics {
  private readonly duration: Histogram<'type' | 'outcome'>;
  private readonly failures: Counter<'type'>;

  constructor(metrics: MetricsService) {
    const registers = [metrics.registry];
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
