import type { LoggerService } from '@nestjs/common';

const WARNING_INTERVAL_MS = 60_000;

/**
 * Deliveries naming a job id this database does not have: another deployment
 * shares the queue (the same NEXUS_JOBS_QUEUE on two databases). They are left
 * for their owner; this counts them and warns at most once per interval.
 */
export class ForeignDeliveries {
  private unreported = 0;
  private lastWarningAt = 0;

  constructor(
    private readonly queueName: string,
    private readonly logger: LoggerService,
    private readonly now: () => number = Date.now,
  ) {}

  record(): void {
    this.unreported += 1;
    if (this.now() - this.lastWarningAt < WARNING_INTERVAL_MS) return;
    this.logger.warn(
      `Queue ${this.queueName}: ${this.unreported} delivery(ies) for jobs this database does not have, left for ` +
        'their owner: another deployment uses the same queue (NEXUS_JOBS_QUEUE); give each deployment its own',
    );
    this.unreported = 0;
    this.lastWarningAt = this.now();
  }
}
