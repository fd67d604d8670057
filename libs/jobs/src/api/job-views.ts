import type { JobArtifact } from '../entities/job-artifact.entity';
import type { Job } from '../entities/job.entity';
import type { WorkerHeartbeat } from '../entities/worker-heartbeat.entity';

export interface JobView {
  id: string;
  zoneId: string;
  type: string;
  payload: Record<string, unknown>;
  status: string;
  attemptCount: number;
  maxAttempts: number;
  nextRunAt: Date;
  leaseOwner: string | null;
  leaseExpiresAt: Date | null;
  lastError: string | null;
  result: Record<string, unknown> | null;
  idempotencyKey: string | null;
  createdBy: string;
  startedAt: Date | null;
  finishedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export function toJobView(job: Job): JobView {
  return {
    id: job.id,
    zoneId: job.zoneId,
    type: job.type,
    payload: job.payload,
    status: job.status,
    attemptCount: job.attemptCount,
    maxAttempts: job.maxAttempts,
    nextRunAt: job.nextRunAt,
    leaseOwner: job.leaseOwner,
    leaseExpiresAt: job.leaseExpiresAt,
    lastError: job.lastError,
    result: job.result,
    idempotencyKey: job.idempotencyKey,
    createdBy: job.createdBy,
    startedAt: job.startedAt,
    finishedAt: job.finishedAt,
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
  };
}

export interface ArtifactView {
  id: string;
  kind: string;
  name: string;
  data: Record<string, unknown> | null;
  reference: string | null;
  createdAt: Date;
}

export function toArtifactView(artifact: JobArtifact): ArtifactView {
  return {
    id: artifact.id,
    kind: artifact.kind,
    name: artifact.name,
    data: artifact.data,
    reference: artifact.reference,
    createdAt: artifact.createdAt,
  };
}

export interface WorkerView {
  workerId: string;
  hostname: string;
  pid: number;
  /** running / draining / stopped as the worker last said, or `gone` when its heartbeat is stale. */
  state: string;
  alive: boolean;
  concurrency: number;
  activeJobs: number;
  jobsProcessed: number;
  startedAt: Date;
  lastSeenAt: Date;
}

export function toWorkerView(row: WorkerHeartbeat, now: Date, staleAfterMs: number): WorkerView {
  const alive = row.state !== 'stopped' && now.getTime() - row.lastSeenAt.getTime() <= staleAfterMs;
  return {
    workerId: row.workerId,
    hostname: row.hostname,
    pid: row.pid,
    state: alive || row.state === 'stopped' ? row.state : 'gone',
    alive,
    concurrency: row.concurrency,
    activeJobs: row.activeJobs,
    jobsProcessed: row.jobsProcessed,
    startedAt: row.startedAt,
    lastSeenAt: row.lastSeenAt,
  };
}
