import { Injectable, Logger } from '@nestjs/common';
import { WorkerConfig } from '@nexus/core';
import {
  JobClock,
  JobHandler,
  RETENTION_OFF,
  deleteInBatches,
  retentionCutoff,
  retentionOutcome,
} from '@nexus/jobs';
import type { JobContext, JobHandlerContract, JobOutcome } from '@nexus/jobs';
import { DataSource } from 'typeorm';
import { PRUNE_DELIVERIES_JOB } from './delivery-retention-job-types';
import type { PruneDeliveriesPayload } from './delivery-retention-job-types';

/**
 * `subscriptions.prune_deliveries`: deletes webhook deliveries that are finished
 * (succeeded, failed, skipped) and whose updated_at (their last attempt, or being
 * skipped) is older than the retention (NEXUS_WEBHOOK_DELIVERY_RETENTION_DAYS, or
 * the payload's), in batches (deleteInBatches), across every zone (an operational
 * job). A waiting or pending message is still to be delivered and is never
 * deleted, however old. The subscriptions' counters (succeeded_messages, failed_messages) are not
 * touched. Idempotent: a re-run deletes what is left.
 */
@Injectable()
@JobHandler(PRUNE_DELIVERIES_JOB)
export class PruneDeliveriesHandler implements JobHandlerContract<PruneDeliveriesPayload> {
  private readonly logger = new Logger('DeliveryRetention');

  constructor(
    private readonly db: DataSource,
    private readonly config: WorkerConfig,
    private readonly clock: JobClock,
  ) {}

  async handle(payload: PruneDeliveriesPayload, context: JobContext): Promise<JobOutcome> {
    const retentionDays = payload.olderThanDays ?? this.config.NEXUS_WEBHOOK_DELIVERY_RETENTION_DAYS;
    if (retentionDays <= 0) return RETENTION_OFF;
    const startedAt = Date.now();
    const cutoff = retentionCutoff(this.clock.now(), retentionDays);
    // The partial index on updated_at (WebhookDelivery) holds exactly the finished rows.
    const run = await deleteInBatches(
      this.db,
      {
        table: 'webhook_deliveries',
        key: 'id',
        where: `status IN ('succeeded', 'failed', 'skipped') AND updated_at < $1`,
        params: [cutoff],
      },
      context.signal,
    );
    return retentionOutcome(this.logger, 'webhook deliveries', { ...run, retentionDays, cutoff, startedAt });
  }
}
