import { defineJobType } from '@nexus/core';
import { IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';

/*
 * Filesystem jobs are operational: they work across zones (or on the one named in
 * the payload); the zone a job was submitted in only scopes who can see it.
 */

export class FsGcPayload {
  /** Blobs unreferenced (or, without a row, last touched) for less than this many seconds are kept. Default 3600. */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(30 * 86_400)
  graceSeconds?: number;
}

export class FsIntegrityAuditPayload {
  /** How many referenced blobs to re-hash (1-10000). */
  @IsInt()
  @Min(1)
  @Max(10_000)
  sampleSize: number;
}

export class FsReconcilePayload {
  /** Only this zone's cache entries; every zone when absent. */
  @IsOptional()
  @IsUUID()
  zoneId?: string;

  /** Check at most this many cache entries in this run. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  limit?: number;
}

export class FsPruneOperationLogPayload {
  /** Delete operation log entries older than this many days; NEXUS_OPLOG_RETENTION_DAYS when absent. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(36_500)
  olderThanDays?: number;
}

export const FS_GC_JOB = defineJobType({
  type: 'filesystem.gc',
  payload: FsGcPayload,
  summary: 'Deletes unreferenced blobs past the grace period, orphan blob files and stale temporary files',
});

export const FS_INTEGRITY_AUDIT_JOB = defineJobType({
  type: 'filesystem.integrity_audit',
  payload: FsIntegrityAuditPayload,
  summary: 'Re-hashes a sample of stored blobs and reports any that no longer match',
});

export const FS_RECONCILE_JOB = defineJobType({
  type: 'filesystem.reconcile',
  payload: FsReconcilePayload,
  summary: 'Compares the metadata cache with PostgreSQL and repairs the entries that drifted',
});

export const FS_PRUNE_OPERATION_LOG_JOB = defineJobType({
  type: 'filesystem.prune_operation_log',
  payload: FsPruneOperationLogPayload,
  summary: 'Deletes operation log entries past the retention period',
});

export const FILESYSTEM_JOB_TYPES = [
  FS_GC_JOB,
  FS_INTEGRITY_AUDIT_JOB,
  FS_RECONCILE_JOB,
  FS_PRUNE_OPERATION_LOG_JOB,
];
