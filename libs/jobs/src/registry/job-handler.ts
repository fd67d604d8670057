import type { JobProgressUpdate } from './job-progress';
import { SetMetadata } from '@nestjs/common';
import type { JobTypeDeclaration } from '@nexus/core';

export const JOB_HANDLER = 'nexus:jobs:handler';

/** What a handler knows about the run it serves. */
export interface JobContext {
  jobId: string;
  zoneId: string;
  createdBy: string;
  attempt: number;
  maxAttempts: number;
  /** Aborted when the job is cancelled, its lease is lost, or the worker's drain grace ends. */
  signal: AbortSignal;
  /** Records how far the job has got (shown by GET /jobs/:id); calls closer than a second apart are coalesced. */
  progress(update: JobProgressUpdate): Promise<void>;
}

/** How a failed attempt should be retried, when the handler knows better than the worker's backoff. */
export interface RetryAdvice {
  /** Wait this long before the next attempt (instead of RETRY_BACKOFF_SECONDS). */
  retryInMs?: number;
  /** false: no further attempt, the job fails now (the work can never succeed). */
  retry?: boolean;
}

/** Handlers say how it went; a thrown error counts as `failed` with the worker's backoff. */
export type JobOutcome =
  | { status: 'succeeded'; result?: Record<string, unknown> }
  | ({ status: 'failed'; error: string } & RetryAdvice);

/** A job handler. It must be idempotent: a job may run again after a lost lease or a crash. */
export interface JobHandlerContract<TPayload extends object = object> {
  handle(payload: TPayload, context: JobContext): Promise<JobOutcome>;
}

/** Registers the decorated provider as the handler of the declared job type (the worker discovers it at start). */
export const JobHandler = (declaration: JobTypeDeclaration) => SetMetadata(JOB_HANDLER, declaration.type);
