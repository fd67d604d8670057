import { Injectable, Logger } from '@nestjs/common';
import { JobClock } from '../state/clock';
import { JobStateMachine } from '../state/job-state-machine';
import type { DeliverableRow } from './job-options';
import { JobQueue } from './job-queue';

/**
 * Publishes a committed row's current delivery to BullMQ, then clears its outbox
 * marker. A failure is logged, not thrown: the outbox sweeper publishes it later.
 */
@Injectable()
export class JobDispatcher {
  private readonly logger = new Logger('JobDispatcher');

  constructor(
    private readonly queue: JobQueue,
    private readonly stateMachine: JobStateMachine,
    private readonly clock: JobClock,
  ) {}

  async dispatch(row: DeliverableRow): Promise<boolean> {
    try {
      await this.queue.publish(row, this.clock.now());
      await this.stateMachine.markDispatched(row.id, row.attemptCount);
      return true;
    } catch (error) {
      this.logger.warn(`Job ${row.id} not published yet (${error instanceof Error ? error.message : String(error)}); the outbox sweeper retries`);
      return false;
    }
  }

  /** dispatch() for many rows: one addBulk, one UPDATE. Returns how many were published. */
  async dispatchMany(rows: readonly DeliverableRow[]): Promise<number> {
    if (rows.length === 0) return 0;
    try {
      await this.queue.publishMany(rows, this.clock.now());
      await this.stateMachine.markDispatchedMany(rows);
      return rows.length;
    } catch (error) {
      this.logger.warn(`${rows.length} job(s) not published yet (${error instanceof Error ? error.message : String(error)}); the outbox sweeper retries`);
      return 0;
    }
  }
}
