import { ConflictError, NotFoundError, ValidationError } from '@nexus/core';

/** Stable codes of every error the job system raises on purpose. */
export const JobsErrorCode = {
  JobNotFound: 'JOB_NOT_FOUND',
  /** A batch with no jobs or more than the batch limit. */
  BatchSize: 'BATCH_SIZE',
  UnknownJobType: 'UNKNOWN_JOB_TYPE',
  /** A payload that is not an object or breaks its type's schema. */
  InvalidJobPayload: 'INVALID_JOB_PAYLOAD',
  /** The same idempotency key twice in one batch. */
  DuplicateIdempotencyKey: 'DUPLICATE_IDEMPOTENCY_KEY',
  /** An idempotency key already held by a job of another type. */
  IdempotencyKeyReused: 'IDEMPOTENCY_KEY_REUSED',
} as const;
export type JobsErrorCode = (typeof JobsErrorCode)[keyof typeof JobsErrorCode];

/** Batch entries name their index so the client can find the offending job. */
const inBatch = (index: number, message: string): string => `jobs[${index}]: ${message}`;

export function jobNotFound(id: string): NotFoundError {
  return new NotFoundError(`Job ${id} not found`, JobsErrorCode.JobNotFound, { id });
}

export function batchSizeInvalid(maxJobs: number, count: number): ValidationError {
  return new ValidationError(`A batch holds 1 to ${maxJobs} jobs`, { count }, JobsErrorCode.BatchSize);
}

/** `index` is the job's position when it came in a batch. */
export function unknownJobType(type: string, index?: number): ValidationError {
  return index === undefined
    ? new ValidationError(`Unknown job type ${type}`, { type }, JobsErrorCode.UnknownJobType)
    : new ValidationError(
        inBatch(index, `unknown job type ${type}`),
        { index, type },
        JobsErrorCode.UnknownJobType,
      );
}

export function payloadNotAnObject(type: string): ValidationError {
  return new ValidationError('payload must be an object', { type }, JobsErrorCode.InvalidJobPayload);
}

export function invalidJobPayload(type: string, problems: string[]): ValidationError {
  return new ValidationError(
    `Invalid payload for ${type}: ${problems.join('; ')}`,
    { type, problems },
    JobsErrorCode.InvalidJobPayload,
  );
}

export function duplicateIdempotencyKey(index: number): ValidationError {
  return new ValidationError(
    inBatch(index, 'idempotencyKey repeated in the batch'),
    { index },
    JobsErrorCode.DuplicateIdempotencyKey,
  );
}

/** `existing` is the job that already holds the key. */
export function idempotencyKeyReused(existing: { id: string; type: string }): ConflictError {
  return new ConflictError(
    'idempotencyKey already used for a job of another type',
    JobsErrorCode.IdempotencyKeyReused,
    { jobId: existing.id, type: existing.type },
  );
}
