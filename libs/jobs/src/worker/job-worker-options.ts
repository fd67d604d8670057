import type { JobType } from '../job-types';

export const JOB_WORKER_OPTIONS = Symbol('nexus:jobs:worker-options');

export interface JobWorkerOptions {
  /** `hostname-pid-rand8`: lease owner, heartbeat row, audit actor. */
  workerId: string;
  concurrency: number;
  /** Stop after leasing this many jobs (--once = 1, --max-jobs N); null runs until SIGTERM. */
  jobBudget: number | null;
  /**
   * The job types this worker must have exactly one handler for (it refuses to
   * start otherwise). Default: every JobType, which is what the worker app serves;
   * a context mounting only JobsModule.forWorker() (the jobs library's own tests)
   * passes SYSTEM_JOB_TYPES.
   */
  handledTypes?: readonly JobType[];
}
