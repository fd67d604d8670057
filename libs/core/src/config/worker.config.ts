import { Expose, Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsInt, IsString, Matches, Max, Min } from 'class-validator';
import { BaseConfig } from './base.config';
import { EnvInt } from './env.decorators';

/** Configuration of the background worker process. */
export class WorkerConfig extends BaseConfig {
  /** How long SIGTERM lets running work finish before the worker exits. */
  @Expose()
  @EnvInt()
  @IsInt()
  @Min(0)
  @Max(600_000)
  NEXUS_SHUTDOWN_GRACE_MS = 10_000;

  /** Seconds to wait before retry n+1 after attempt n fails (the last entry repeats). */
  @Expose()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((item) => item.trim())
          .filter((item) => item.length > 0)
          .map((item) => (/^\d+$/.test(item) ? Number(item) : item))
      : value,
  )
  @ArrayMinSize(1, { message: 'RETRY_BACKOFF_SECONDS must list at least one number of seconds' })
  @ArrayMaxSize(10)
  @IsInt({ each: true, message: 'RETRY_BACKOFF_SECONDS must be comma-separated whole seconds (e.g. 2,10)' })
  @Min(0, { each: true })
  @Max(86_400, { each: true })
  RETRY_BACKOFF_SECONDS: number[] = [2, 10];

  /** How long a job lease lasts; the running worker renews it every third of that. */
  @Expose()
  @EnvInt()
  @IsInt()
  @Min(500)
  @Max(3_600_000)
  NEXUS_JOB_LEASE_MS = 30_000;

  /** How often the outbox and stale-lease sweepers run on each worker. */
  @Expose()
  @EnvInt()
  @IsInt()
  @Min(100)
  @Max(600_000)
  NEXUS_JOB_SWEEP_INTERVAL_MS = 5_000;

  /** On SIGTERM, how long running jobs may finish before their leases are released (retry_wait, no attempt used). */
  @Expose()
  @EnvInt()
  @IsInt()
  @Min(0)
  @Max(600_000)
  NEXUS_JOB_DRAIN_GRACE_MS = 8_000;

  /** Finished jobs (succeeded, failed, cancelled) older than this many days are deleted, with their artifacts; 0 keeps them. */
  @Expose()
  @EnvInt()
  @IsInt()
  @Min(0)
  @Max(3_650)
  NEXUS_JOB_RETENTION_DAYS = 30;

  /** How often a `system.prune_jobs` job (the retention above) is scheduled; one per interval in all. */
  @Expose()
  @EnvInt()
  @IsInt()
  @Min(1_000)
  @Max(7 * 86_400_000)
  NEXUS_JOB_PRUNE_INTERVAL_MS = 3_600_000;

  /** How often a `filesystem.reconcile` job (metadata cache vs PostgreSQL) is scheduled; one per interval in all. */
  @Expose()
  @EnvInt()
  @IsInt()
  @Min(1_000)
  @Max(86_400_000)
  NEXUS_FS_RECONCILE_INTERVAL_MS = 60_000;

  /** How often a `filesystem.gc` job (unreferenced and orphaned blobs) is scheduled; one per interval in all. */
  @Expose()
  @EnvInt()
  @IsInt()
  @Min(1_000)
  @Max(7 * 86_400_000)
  NEXUS_FS_GC_INTERVAL_MS = 3_600_000;

  /** Port of the worker's /metrics and /healthz server; 0 turns it off (several workers on one machine need distinct ports). */
  @Expose()
  @EnvInt()
  @IsInt()
  @Min(0)
  @Max(65535)
  NEXUS_WORKER_METRICS_PORT = 2027;

  /** Interface the worker's metrics server listens on (`0.0.0.0` for all). */
  @Expose()
  @IsString()
  @Matches(/^\S+$/, { message: 'NEXUS_WORKER_METRICS_HOST must be a host name or IP address' })
  NEXUS_WORKER_METRICS_HOST = '127.0.0.1';

  /** How often the event relay looks for new events when it found none (ms). */
  @Expose()
  @EnvInt()
  @IsInt()
  @Min(10)
  @Max(60_000)
  NEXUS_EVENT_RELAY_POLL_MS = 100;

  /** Most events one consumer receives in one batch (one transaction). */
  @Expose()
  @EnvInt()
  @IsInt()
  @Min(1)
  @Max(10_000)
  NEXUS_EVENT_RELAY_BATCH_SIZE = 500;

  /** Batches (consumer × zone) a worker runs at once. */
  @Expose()
  @EnvInt()
  @IsInt()
  @Min(1)
  @Max(64)
  NEXUS_EVENT_RELAY_CONCURRENCY = 4;

  /** Files over this many bytes are searchable by name and metadata only, not by content. */
  @Expose()
  @EnvInt()
  @IsInt()
  @Min(0)
  @Max(1024 ** 3)
  NEXUS_SEARCH_MAX_BYTES = 8 * 1024 * 1024;

  /** Events every consumer has passed are deleted after this many days; 0 keeps them. */
  @Expose()
  @EnvInt()
  @IsInt()
  @Min(0)
  @Max(3_650)
  NEXUS_EVENT_RETENTION_DAYS = 7;

  /** Operation log entries older than this many days are deleted; 0 keeps them. */
  @Expose()
  @EnvInt()
  @IsInt()
  @Min(0)
  @Max(36_500)
  NEXUS_OPLOG_RETENTION_DAYS = 90;

  /** Finished webhook deliveries (succeeded, failed, skipped) not updated for this many days are deleted (subscriptions.prune_deliveries); 0 keeps them. */
  @Expose()
  @EnvInt()
  @IsInt({ message: 'NEXUS_WEBHOOK_DELIVERY_RETENTION_DAYS must be an integer number of days' })
  @Min(0, { message: 'NEXUS_WEBHOOK_DELIVERY_RETENTION_DAYS must be at least 0 (0 keeps deliveries)' })
  @Max(36_500, { message: 'NEXUS_WEBHOOK_DELIVERY_RETENTION_DAYS must be at most 36500' })
  NEXUS_WEBHOOK_DELIVERY_RETENTION_DAYS = 30;

  /** Audit log entries older than this many days are deleted; 0 keeps them. */
  @Expose()
  @EnvInt()
  @IsInt()
  @Min(0)
  @Max(36_500)
  NEXUS_AUDIT_RETENTION_DAYS = 365;

  /** How often each retention job (events, operation log, audit log) is scheduled; one per interval in all. */
  @Expose()
  @EnvInt()
  @IsInt()
  @Min(1_000)
  @Max(7 * 86_400_000)
  NEXUS_RETENTION_INTERVAL_MS = 3_600_000;
}
