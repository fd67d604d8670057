import { defineJobType } from '@nexus/core';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

export class NoopPayload {
  /** Optional text echoed into the result (handy for tracing a job through the system). */
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  echo?: string;

  /** Fail the first `failTimes` attempts (tests and chaos drills of the retry path). */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10)
  failTimes?: number;

  /** Work for this long, honouring the abort signal. */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(600_000)
  sleepMs?: number;
}

export class IntegrityAuditPayload {
  /** A zone-scoped table (it has a zone_id column) to sample. */
  @IsString()
  @Matches(/^[a-z_][a-z0-9_]{0,62}$/, { message: 'table must be a lower-case table name' })
  table: string;

  /** How many rows to sample (1-1000). */
  @IsInt()
  @Min(1)
  @Max(1000)
  sampleSize: number;

  /** sha256 the sample is expected to hash to; the report says whether it matched. */
  @IsOptional()
  @Matches(/^[0-9a-f]{64}$/, { message: 'expectedChecksum must be a sha256 hex digest' })
  expectedChecksum?: string;
}

export class PruneJobsPayload {
  /** Delete finished jobs older than this many days; NEXUS_JOB_RETENTION_DAYS when absent. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3_650)
  olderThanDays?: number;
}

export class PruneAuditLogPayload {
  /** Delete audit log entries older than this many days; NEXUS_AUDIT_RETENTION_DAYS when absent. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(36_500)
  olderThanDays?: number;
}

export const NOOP_JOB = defineJobType({
  type: 'system.noop',
  payload: NoopPayload,
  summary: 'Does nothing (optionally sleeps or fails): traces a job through the system',
});

export const INTEGRITY_AUDIT_JOB = defineJobType({
  type: 'system.integrity_audit',
  payload: IntegrityAuditPayload,
  summary: "Hashes a sample of a zone's rows of a table into a report artifact",
});

export const PRUNE_JOBS_JOB = defineJobType({
  type: 'system.prune_jobs',
  payload: PruneJobsPayload,
  summary: 'Deletes finished jobs past the retention period',
});

// The audit log is a platform table (storage-models) with no domain of its own: the job system prunes it.
export const PRUNE_AUDIT_LOG_JOB = defineJobType({
  type: 'system.prune_audit_log',
  payload: PruneAuditLogPayload,
  summary: 'Deletes audit log entries past the retention period',
});

/** The types the jobs library declares and handles itself. */
export const SYSTEM_JOB_TYPES = [NOOP_JOB, INTEGRITY_AUDIT_JOB, PRUNE_JOBS_JOB, PRUNE_AUDIT_LOG_JOB];
