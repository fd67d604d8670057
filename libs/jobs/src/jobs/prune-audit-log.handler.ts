import { Injectable, Logger } from '@nestjs/common';
import { WorkerConfig } from '@nexus/core';
import { DataSource } from 'typeorm';
import type { JobContext, JobHandlerContract, JobOutcome } from '../registry/job-handler';
import { JobHandler } from '../registry/job-handler';
import { JobClock } from '../state/clock';
import { deleteInBatches } from './delete-in-batches';
import { RETENTION_OFF, retentionCutoff, retentionOutcome } from './retention-outcome';
import { PRUNE_AUDIT_LOG_JOB } from './system-job-types';
import type { PruneAuditLogPayload } from './system-job-types';

/**
 * `system.prune_audit_log`: deletes audit log entries whose occurred_at is older
 * than the retention (NEXUS_AUDIT_RETENTION_DAYS, or the payload's), in batches
 * (deleteInBatches), across every zone. Idempotent: a re-run deletes what is left.
 */
@Injectable()
@JobHandler(PRUNE_AUDIT_LOG_JOB)
export class PruneAuditLogHandler implements JobHandlerContract<PruneAuditLogPayload> {
  private readonly logger = new Logger('AuditRetention');

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: WorkerConfig,
    private readonly clock: JobClock,
  ) {}

  async handle(payload: PruneAuditLogPayload, context: JobContext): Promise<JobOutcome> {
    const retentionDays = payload.olderThanDays ?? this.config.NEXUS_AUDIT_RETENTION_DAYS;
    if (retentionDays <= 0) return RETENTION_OFF;
    const startedAt = Date.now();
    const cutoff = retentionCutoff(this.clock.now(), retentionDays);
    const run = await deleteInBatches(
      this.dataSource,
      { table: 'audit_log', key: 'id', where: 'occurred_at < $1', params: [cutoff] },
      context.signal,
    );
    return retentionOutcome(this.logger, 'audit log entries', { ...run, retentionDays, cutoff, startedAt });
  }
}
