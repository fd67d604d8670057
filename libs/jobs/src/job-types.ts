/** Every job type the system runs. A type without exactly one handler stops the worker at start. */
export enum JobType {
  Noop = 'system.noop',
  IntegrityAudit = 'system.integrity_audit',
}

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

/** The typed payload of each job type. */
export interface JobPayloads {
  [JobType.Noop]: NoopPayload;
  [JobType.IntegrityAudit]: IntegrityAuditPayload;
}

export const JOB_TYPES: readonly JobType[] = Object.values(JobType);

export function isJobType(value: unknown): value is JobType {
  return typeof value === 'string' && (JOB_TYPES as readonly string[]).includes(value);
}

export const JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'retry_wait', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export const DEFAULT_MAX_ATTEMPTS = 3;
export const MAX_MAX_ATTEMPTS = 10;
