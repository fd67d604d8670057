import { Injectable } from '@nestjs/common';
import { MetricsService } from '@nexus/core';
import { Counter, Gauge, Histogram } from 'prom-client';

/** What a delivery's lease attempt found: a job to run, one not due yet, a stale delivery, or a job this database lacks. */
export type LeaseOutcome = 'leased' | 'not_due' | 'stale' | 'unknown';

/**
 * Job execution metrics: run durations, failed attempts, lease attempts, heartbeats. Worker only — the
 * API never runs a job, so it would only show empty series (it has JobQueueMetrics).
 */
@Injectable()
export class JobMetrics {
  private readonly duration: Histogram<'type' | 'outcome'>;
  private readonly failures: Counter<'type'>;
  private readonly leases: Counter<'outcome'>;
  private readonly heartbeats: Counter;
  private readonly lastHeartbeat: Gauge;

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
    this.leases = new Counter({
      name: 'nexus_job_leases_total',
      help: 'Lease attempts on delivered jobs, by outcome (leased, not_due, stale, unknown to this database)',
      labelNames: ['outcome'] as const,
      registers,
    });
    this.heartbeats = new Counter({
      name: 'nexus_worker_heartbeats_total',
      help: 'Heartbeats this worker wrote to worker_heartbeats',
      registers,
    });
    this.lastHeartbeat = new Gauge({
      name: 'nexus_worker_last_heartbeat_timestamp_seconds',
      help: 'Unix time of the last heartbeat written',
      registers,
    });
  }

  observeLease(outcome: LeaseOutcome): void {
    this.leases.inc({ outcome });
  }

  observeHeartbeat(at: Date): void {
    this.heartbeats.inc();
    this.lastHeartbeat.set(at.getTime() / 1000);
  }

  observeRun(type: string, outcome: string, seconds: number): void {
    this.duration.observe({ type, outcome }, seconds);
    if (outcome === 'failed' || outcome === 'retry_wait') this.failures.inc({ type });
  }
}
