import { Injectable } from '@nestjs/common';
import { MetricsService } from '@nexus/core';
import { Counter, Gauge } from 'prom-client';
import type { ConsumerPositions } from './consumer-lag';

/**
 * The relay's series on the worker's /metrics, by consumer. The lag gauges are
 * read from PostgreSQL on each find-work pass, so every worker reports the same
 * (global) lag; the counters are this worker's.
 */
@Injectable()
export class EventRelayMetrics {
  private readonly events: Counter<'consumer'>;
  private readonly failedBatches: Counter<'consumer'>;
  private readonly lag: Gauge<'consumer'>;
  private readonly lagSeconds: Gauge<'consumer'>;

  constructor(metrics: MetricsService) {
    const registers = [metrics.registry];
    this.events = new Counter({
      name: 'nexus_event_consumer_events_total',
      help: 'Events handed to a consumer whose batch committed, by consumer',
      labelNames: ['consumer'] as const,
      registers,
    });
    this.failedBatches = new Counter({
      name: 'nexus_event_consumer_failed_batches_total',
      help: 'Batches whose handler threw (rolled back, retried after a backoff), by consumer',
      labelNames: ['consumer'] as const,
      registers,
    });
    this.lag = new Gauge({
      name: 'nexus_event_consumer_lag_events',
      help: 'Events not yet processed by a consumer, summed over zones',
      labelNames: ['consumer'] as const,
      registers,
    });
    this.lagSeconds = new Gauge({
      name: 'nexus_event_consumer_lag_seconds',
      help: 'Age of the oldest event a consumer has not yet processed (0 when caught up)',
      labelNames: ['consumer'] as const,
      registers,
    });
  }

  /** Starts every consumer's series at 0, so a consumer with no traffic still shows. */
  register(consumers: readonly string[]): void {
    for (const consumer of consumers) {
      this.events.inc({ consumer }, 0);
      this.failedBatches.inc({ consumer }, 0);
      this.lag.set({ consumer }, 0);
      this.lagSeconds.set({ consumer }, 0);
    }
  }

  observeBatch(consumer: string, delivered: number): void {
    this.events.inc({ consumer }, delivered);
  }

  observeFailure(consumer: string): void {
    this.failedBatches.inc({ consumer });
  }

  observeLag(positions: readonly ConsumerPositions[]): void {
    for (const { consumer, lag, lagSeconds } of positions) {
      this.lag.set({ consumer }, lag);
      this.lagSeconds.set({ consumer }, lagSeconds);
    }
  }
}
