import { Injectable } from '@nestjs/common';
import { WorkerConfig } from '@nexus/core';
import { AuditLogWriter } from '@nexus/storage-models';
import { DataSource } from 'typeorm';
import { JobClock } from '../state/clock';

export interface RecoveredLease {
  jobId: string;
  zoneId: string;
  originalLeaseOwner: string | null;
  newStatus: 'retry_wait' | 'failed';
  nextRunAt: Date;
  attemptCount: number;
}

/**
 * Moves running jobs whose lease expired to retry_wait (with backoff) or failed,
 * one CAS statement over rows locked with SKIP LOCKED, so any number of workers
 * may sweep at once; each recovery is audited in the same transaction.
 */
@Injectable()
export class StaleLeaseSweeper {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: WorkerConfig,
    private readonly clock: JobClock,
    private readonly audit: AuditLogWriter,
  ) {}

  async sweep(recoveringWorker: string, limit = 100): Promise<RecoveredLease[]> {
    const now = this.clock.now();
    return this.dataSource.transaction(async (manager) => {
      const raw = await manager.query<[Array<Record<string, unknown>>, number]>(
        `WITH stale AS (
           SELECT id, lease_owner FROM jobs WHERE status = 'running' AND lease_expires_at < $1
           ORDER BY lease_expires_at LIMIT $3 FOR UPDATE SKIP LOCKED)
         UPDATE jobs j SET
           status = CASE WHEN j.attempt_count >= j.max_attempts THEN 'failed' ELSE 'retry_wait' END,
           next_run_at = CASE WHEN j.attempt_count >= j.max_attempts THEN j.next_run_at
             ELSE $1::timestamptz + make_interval(secs => ($2::int[])[LEAST(GREATEST(j.attempt_count, 1), cardinality($2::int[]))]) END,
           finished_at = CASE WHEN j.attempt_count >= j.max_attempts THEN $1::timestamptz ELSE NULL END,
           last_error = 'lease of ' || COALESCE(stale.lease_owner, '?') || ' expired; recovered by ' || $4,
           lease_owner = NULL, lease_expires_at = NULL, dispatched_at = NULL, updated_at = now()
         FROM stale WHERE j.id = stale.id AND j.status = 'running'
         RETURNING j.id, j.zone_id, j.status, j.next_run_at, j.attempt_count, stale.lease_owner AS original_owner`,
        [now, this.backoff(), limit, recoveringWorker],
      );
      const recovered = raw[0].map(
        (row): RecoveredLease => ({
          jobId: String(row.id),
          zoneId: String(row.zone_id),
          originalLeaseOwner: (row.original_owner as string | null) ?? null,
          newStatus: row.status as 'retry_wait' | 'failed',
          nextRunAt: row.next_run_at as Date,
          attemptCount: Number(row.attempt_count),
        }),
      );
      for (const lease of recovered) {
        await this.audit.write(
          {
            action: 'stale_lease_recovery',
            outcome: 'success',
            zoneId: lease.zoneId,
            actor: { type: 'service', id: recoveringWorker },
            resource: { type: 'job', id: lease.jobId },
            details: {
              jobId: lease.jobId,
              originalLeaseOwner: lease.originalLeaseOwner,
              recoveringWorker,
              newStatus: lease.newStatus,
            },
          },
          manager,
        );
      }
      return recovered;
    });
  }

  private backoff(): number[] {
    return this.config.RETRY_BACKOFF_SECONDS.length > 0 ? [...this.config.RETRY_BACKOFF_SECONDS] : [0];
  }
}
