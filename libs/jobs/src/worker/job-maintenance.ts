import { Injectable, Logger } from '@nestjs/common';
import { JobDispatcher } from '../queue/job-dispatcher';
import { OutboxSweeper } from './outbox-sweeper';
import { StaleLeaseSweeper } from './stale-lease-sweeper';

/** One maintenance pass: recover stale leases (and publish their retries), then drain the outbox. */
@Injectable()
export class JobMaintenance {
  private readonly logger = new Logger('JobSweepers');
  private running = false;

  constructor(
    private readonly staleLeases: StaleLeaseSweeper,
    private readonly outbox: OutboxSweeper,
    private readonly dispatcher: JobDispatcher,
  ) {}

  async runOnce(workerId: string): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const recovered = await this.staleLeases.sweep(workerId);
      for (const lease of recovered) {
        this.logger.warn(`Recovered stale lease of job ${lease.jobId} from ${lease.originalLeaseOwner ?? '?'}: ${lease.newStatus}`);
        if (lease.newStatus === 'retry_wait') {
          await this.dispatcher.dispatch({ id: lease.jobId, status: 'retry_wait', attemptCount: lease.attemptCount, nextRunAt: lease.nextRunAt });
        }
      }
      const published = await this.outbox.sweep();
      if (published > 0) this.logger.log(`Outbox: published ${published} job(s) that had not reached Redis`);
    } catch (error) {
      this.logger.warn(`Sweep failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.running = false;
    }
  }
}
