import { Injectable } from '@nestjs/common';
import { MetricsService } from '@nexus/core';
import { Counter, Histogram } from 'prom-client';

/** How an attempt ended, as the metrics label it. */
export type AttemptOutcome = 'succeeded' | 'retrying' | 'failed' | 'refused' | 'skipped';

/** Webhook delivery series on the worker's /metrics (this worker's attempts). */
@Injectable()
export class DeliveryMetrics {
  private readonly attempts: Counter<'outcome'>;
  private readonly duration: Histogram<'outcome'>;
  private readonly lag: Histogram;

  constructor(metrics: MetricsService) {
    const registers = [metrics.registry];
    this.attempts = new Counter({
      name: 'nexus_webhook_attempts_total',
      help: 'Webhook delivery attempts, by outcome (succeeded, retrying, failed = given up, refused = address policy, skipped)',
      labelNames: ['outcome'] as const,
      registers,
    });
    this.duration = new Histogram({
      name: 'nexus_webhook_attempt_seconds',
      help: 'Duration of one webhook attempt (DNS, connect, request, response), by outcome',
      labelNames: ['outcome'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15],
      registers,
    });
    this.lag = new Histogram({
      name: 'nexus_webhook_delivery_lag_seconds',
      help: 'From the event to its successful delivery (first-attempt successes show the pipeline latency)',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 60, 300, 3600],
      registers,
    });
    for (const outcome of ['succeeded', 'retrying', 'failed', 'refused', 'skipped'] as const) {
      this.attempts.inc({ outcome }, 0);
    }
  }

  observe(outcome: AttemptOutcome, seconds: number): void {
    this.attempts.inc({ outcome });
    if (outcome !== 'skipped') this.duration.observe({ outcome }, seconds);
  }

  observeDelivered(lagSeconds: number): void {
    this.lag.observe(Math.max(0, lagSeconds));
  }
}
