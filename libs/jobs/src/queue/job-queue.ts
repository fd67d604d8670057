import { once } from 'node:events';
import type { OnApplicationShutdown } from '@nestjs/common';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { BaseConfig, DEPLOYMENT, REDIS, jobsQueueName } from '@nexus/core';
import type { Deployment } from '@nexus/core';
import { Queue } from 'bullmq';
import type Redis from 'ioredis';
import type { DeliverableRow, JobDelivery } from './job-options';
import { jobOptionsFor } from './job-options';

/** The BullMQ producer: hands committed rows to Redis. While Redis is away publishing fails and the outbox catches up. */
@Injectable()
export class JobQueue implements OnApplicationShutdown {
  private readonly logger = new Logger('JobQueue');
  readonly queue: Queue<JobDelivery>;

  /** Shares the process's Redis connection (fail-fast in the API, queueing in the worker). */
  constructor(
    readonly config: BaseConfig,
    @Inject(REDIS) private readonly connection: Redis,
    @Inject(DEPLOYMENT) deployment: Deployment,
  ) {
    const name = jobsQueueName(config.NEXUS_JOBS_QUEUE, deployment);
    this.queue = new Queue<JobDelivery>(name, { connection: this.connection });
    this.queue.on('error', (error: Error) => this.logger.debug?.(`queue error: ${error.message}`));
  }

  async publish(row: DeliverableRow, now: Date): Promise<void> {
    const options = jobOptionsFor(row, now);
    await this.connected(1_000);
    await this.queue.add('run', { jobId: row.id }, options);
  }

  /** One round trip (MULTI) for many rows: a batch submission's deliveries. */
  async publishMany(rows: readonly DeliverableRow[], now: Date): Promise<void> {
    if (rows.length === 0) return;
    await this.connected(1_000);
    await this.queue.addBulk(rows.map((row) => ({ name: 'run', data: { jobId: row.id }, opts: jobOptionsFor(row, now) })));
  }

  /**
   * Gives a fresh connection a moment to come up, then refuses: a publish never
   * waits for Redis (the outbox sweeper publishes the row once Redis is back).
   */
  private async connected(timeoutMs: number): Promise<void> {
    if (this.connection.status === 'ready') return;
    const timeout = AbortSignal.timeout(timeoutMs);
    try {
      await once(this.connection, 'ready', { signal: timeout });
    } catch {
      throw new Error(`Redis is not reachable (connection ${this.connection.status})`);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue.close().catch(() => undefined);
  }
}
