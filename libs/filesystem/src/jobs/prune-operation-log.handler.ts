import { Injectable, Logger, Optional } from '@nestjs/common';
import { WorkerConfig } from '@nexus/core';
import {
  JobClock,
  JobHandler,
  RETENTION_OFF,
  SystemJobClock,
  deleteInBatches,
  retentionCutoff,
  retentionOutcome,
} from '@nexus/jobs';
import type { JobContext, JobHandlerContract, JobOutcome } from '@nexus/jobs';
import { DataSource } from 'typeorm';
import { FS_PRUNE_OPERATION_LOG_JOB } from './fs-job-types';
import type { FsPruneOperationLogPayload } from './fs-job-types';

/**
 * `filesystem.prune_operation_log`: deletes operation log entries whose
 * created_at is older than the retention (NEXUS_OPLOG_RETENTION_DAYS, or the
 * payload's), in batches (deleteInBatches), across every zone (an operational
 * job). Idempotent: a re-run deletes what is left.
 */
@Injectable()
@JobHandler(FS_PRUNE_OPERATION_LOG_JOB)
export class PruneOperationLogJobHandler implements JobHandlerContract<FsPruneOperationLogPayload> {
  private readonly logger = new Logger('OperationLogRetention');

  constructor(
    private readonly db: DataSource,
    // Optional: handler tests mount forWorker() in an API-config context; there nothing is pruned unless the payload says.
    @Optional() private readonly config?: WorkerConfig,
    @Optional() private readonly clock: JobClock = new SystemJobClock(),
  ) {}

  async handle(payload: FsPruneOperationLogPayload, context: JobContext): Promise<JobOutcome> {
    const retentionDays = payload.olderThanDays ?? this.config?.NEXUS_OPLOG_RETENTION_DAYS ?? 0;
    if (retentionDays <= 0) return RETENTION_OFF;
    const startedAt = Date.now();
    const cutoff = retentionCutoff(this.clock.now(), retentionDays);
    const run = await deleteInBatches(
      this.db,
      { table: 'operation_log', key: 'id', where: 'created_at < $1', params: [cutoff] },
      context.signal,
    );
    return retentionOutcome(this.logger, 'operation log entries', {
      ...run,
      retentionDays,
      cutoff,
      startedAt,
    });
  }
}
