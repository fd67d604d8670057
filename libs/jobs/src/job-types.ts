/** The zone operational jobs (scheduled maintenance that spans zones) are submitted in. */
export const SYSTEM_ZONE_ID = '00000000-0000-0000-0000-000000000000';

export const JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'retry_wait', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export const DEFAULT_MAX_ATTEMPTS = 3;
export const MAX_MAX_ATTEMPTS = 10;
