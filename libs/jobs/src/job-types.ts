/** Every job type the system runs. A type without exactly one handler stops the worker at start. */
export enum JobType {
  Noop = 'system.noop',
  IntegrityAudit = 'system.integrity_audit',
  PruneJobs = 'system.prune_jobs',
  FsGc = 'filesystem.gc',
  FsIntegrityAudit = 'filesystem.integrity_audit',
  FsReconcile = 'filesystem.reconcile',
}

/** The types the jobs library handles itself (a worker mounting only JobsModule.forWorker() serves these). */
export const SYSTEM_JOB_TYPES: readonly JobType[] = [JobType.Noop, JobType.IntegrityAudit, JobType.PruneJobs];

/** The zone operational jobs (scheduled maintenance that spans zones) are submitted in. */
export const SYSTEM_ZONE_ID = '00000000-0000-0000-0000-000000000000';

export interface NoopPayload {
  /** Optional text echoed into the result (handy for tracing a job through the system). */
  echo?: string;
  /** Fail the first `failTimes` attempts (tests and chaos drills of the retry path). */
  failTimes?: number;
  /** Work for this long, honouring the abort signal. */
  sleepMs?: number;
}

export interface IntegrityAuditPayload {
  /** A zone-scoped table (it has a zone_id column) to sample. */
  table: string;
  /** How many rows to sample (1-1000). */
  sampleSize: number;
  /** sha256 the sample is expected to hash to; the report says whether it matched. */
  expectedChecksum?: string;
}

export interface PruneJobsPayload {
  /** Delete finished jobs older than this many days; NEXUS_JOB_RETENTION_DAYS when absent. */
  olderThanDays?: number;
}

/**
 * Filesystem jobs are operational: they work across zones (or on the one named in
 * the payload); the zone a job was submitted in only scopes who can see it.
 */
export interface FsGcPayload {
  /** Blobs unreferenced (or, without a row, last touched) for less than this many seconds are kept. Default 3600. */
  graceSeconds?: number;
}

export interface FsIntegrityAuditPayload {
  /** How many referenced blobs to re-hash (1-10000). */
  sampleSize: number;
}

export interface FsReconcilePayload {
  /** Only this zone's cache entries; every zone when absent. */
  zoneId?: string;
  /** Check at most this many cache entries in this run. */
  limit?: number;
}

/** The typed payload of each job type. */
export interface JobPayloads {
  [JobType.Noop]: NoopPayload;
  [JobType.IntegrityAudit]: IntegrityAuditPayload;
  [JobType.PruneJobs]: PruneJobsPayload;
  [JobType.FsGc]: FsGcPayload;
  [JobType.FsIntegrityAudit]: FsIntegrityAuditPayload;
  [JobType.FsReconcile]: FsReconcilePayload;
}

export const JOB_TYPES: readonly JobType[] = Object.values(JobType);

export function isJobType(value: unknown): value is JobType {
  return typeof value === 'string' && (JOB_TYPES as readonly string[]).includes(value);
}

export const JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'retry_wait', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export const DEFAULT_MAX_ATTEMPTS = 3;
export const MAX_MAX_ATTEMPTS = 10;
