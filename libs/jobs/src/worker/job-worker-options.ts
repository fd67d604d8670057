export const JOB_WORKER_OPTIONS = Symbol('nexus:jobs:worker-options');

export interface JobWorkerOptions {
  /** `hostname-pid-rand8`: lease owner, heartbeat row, audit actor. */
  workerId: string;
  concurrency: number;
  /** Stop after leasing this many jobs (--once = 1, --max-jobs N); null runs until SIGTERM. */
  jobBudget: number | null;
}
