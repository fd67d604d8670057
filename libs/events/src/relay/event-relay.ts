import type { OnApplicationBootstrap, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { DOMAINS, WorkerConfig } from '@nexus/core';
import type { ComposedDomains } from '@nexus/core';
import { JOB_WORKER_OPTIONS } from '@nexus/jobs';
import type { JobWorkerOptions } from '@nexus/jobs';
import { DataSource } from 'typeorm';
import { runConsumerBatch } from './consumer-batch';
import type { RelayConsumer } from './consumer-batch';
import { EventConsumerPositions, summarize } from './consumer-lag';
import type { ConsumerZonePosition } from './consumer-lag';
import { EventRelayMetrics } from './event-relay-metrics';
import { resolveConsumers } from './resolve-consumers';

const keyOf = (work: Pick<ConsumerZonePosition, 'consumer' | 'zoneKey'>) =>
  `${work.consumer}/${work.zoneKey}`;

/**
 * Feeds every registered consumer the outbox, zone by zone (see
 * runConsumerBatch). A find-work pass lists the (consumer, zone) pairs that are
 * behind and not backing off; up to NEXUS_EVENT_RELAY_CONCURRENCY of them run
 * at once, and when the list is used up the next pass follows at once — only a
 * pass that finds nothing waits NEXUS_EVENT_RELAY_POLL_MS. Several workers may
 * run it: the position row lock gives each pair one owner at a time. A bounded
 * run (--once, --max-jobs) relays nothing.
 */
@Injectable()
export class EventRelay implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('EventRelay');
  private consumers = new Map<string, RelayConsumer>();
  private readonly inFlight = new Map<string, Promise<void>>();
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;

  constructor(
    @Inject(DOMAINS) private readonly domains: ComposedDomains,
    private readonly moduleRef: ModuleRef,
    private readonly dataSource: DataSource,
    private readonly config: WorkerConfig,
    private readonly positions: EventConsumerPositions,
    private readonly metrics: EventRelayMetrics,
    // Absent in a context without the job system's worker side (tests): runs unbounded.
    @Optional() @Inject(JOB_WORKER_OPTIONS) private readonly worker?: JobWorkerOptions,
  ) {}

  /** Refuses to start (throws) when a declared consumer's handler is provided by no module. */
  onModuleInit(): void {
    this.consumers = new Map(resolveConsumers(this.domains, this.moduleRef).map((c) => [c.name, c]));
    this.metrics.register([...this.consumers.keys()]);
  }

  onApplicationBootstrap(): void {
    if (this.consumers.size === 0 || (this.worker && this.worker.jobBudget !== null)) return;
    this.logger.log(`Relaying events to ${[...this.consumers.keys()].join(', ')}`);
    this.running = true;
    this.loop = this.run();
  }

  /** Before the pool closes (onApplicationShutdown): lets batches in flight commit or roll back. */
  async onModuleDestroy(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    const concurrency = this.config.NEXUS_EVENT_RELAY_CONCURRENCY;
    let queue: ConsumerZonePosition[] = [];
    while (this.running) {
      if (this.inFlight.size >= concurrency) {
        await Promise.race(this.inFlight.values());
        continue;
      }
      if (queue.length === 0) {
        const due = await this.findWork();
        if (due === null || due.length === 0) {
          await this.sleep(this.config.NEXUS_EVENT_RELAY_POLL_MS);
          continue;
        }
        queue = due.filter((work) => !this.inFlight.has(keyOf(work)));
        // Everything due is already running: the next pass follows the first batch to finish.
        if (queue.length === 0) {
          await Promise.race(this.inFlight.values());
          continue;
        }
      }
      const next = queue.shift()!;
      if (!this.inFlight.has(keyOf(next))) this.start(next);
    }
    await Promise.all(this.inFlight.values());
  }

  /** The due pairs; refreshes the lag gauges on the way. Null when the pass failed (logged). */
  private async findWork(): Promise<ConsumerZonePosition[] | null> {
    const names = [...this.consumers.keys()];
    try {
      const behind = await this.positions.behind(names);
      this.metrics.observeLag(summarize(names, behind));
      return behind.filter((work) => work.due);
    } catch (error) {
      this.logger.warn(
        `Finding event work failed: ${error instanceof Error ? error.message : String(error)}`,
      );
      return null;
    }
  }

  private start(work: ConsumerZonePosition): void {
    const key = keyOf(work);
    const task = this.runBatch(work).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, task);
  }

  /** Never rejects: a failure is logged and the pair comes up again on a later pass. */
  private async runBatch(work: ConsumerZonePosition): Promise<void> {
    const consumer = this.consumers.get(work.consumer);
    if (!consumer) return;
    try {
      const outcome = await runConsumerBatch(this.dataSource, consumer, work.zoneKey, {
        batchSize: this.config.NEXUS_EVENT_RELAY_BATCH_SIZE,
        ensureRow: !work.hasRow,
      });
      if (outcome.kind === 'done') this.metrics.observeBatch(consumer.name, outcome.delivered);
      if (outcome.kind === 'failed') {
        this.metrics.observeFailure(consumer.name);
        this.logger.warn(
          `Event consumer ${consumer.name} failed in zone ${work.zoneKey} after position ${outcome.position} ` +
            `(failure ${outcome.failures}, retry in ${outcome.retryInSeconds} s): ${outcome.error}`,
        );
      }
    } catch (error) {
      // Not the handler's doing (the database, the connection): nothing recorded, the next pass retries.
      this.logger.warn(
        `Event batch of ${consumer.name} in zone ${work.zoneKey} could not run: ` +
          `${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.wake?.(), ms);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
    });
  }
}
