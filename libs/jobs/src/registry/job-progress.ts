import type { DataSource } from 'typeorm';

/** What a handler reports while it runs. */
export interface JobProgressUpdate {
  done: number;
  total?: number | null;
  message?: string | null;
}

/** As stored on the job row. */
export interface JobProgress {
  done: number;
  total: number | null;
  message: string | null;
  updatedAt: string;
}

/** Progress writes closer together than this are coalesced (the last one still lands). */
const MIN_INTERVAL_MS = 1_000;

/**
 * The `progress` function of one attempt: writes to the job row only while this
 * worker still holds the lease, at most about once a second; a report that
 * comes too soon is kept and written with the next one (or by `flush`).
 */
export function progressReporter(
  dataSource: DataSource,
  job: { id: string; leaseOwner: string },
): { progress: (update: JobProgressUpdate) => Promise<void>; flush: () => Promise<void> } {
  let lastWrite = 0;
  let pending: JobProgressUpdate | null = null;
  const write = async (update: JobProgressUpdate) => {
    lastWrite = Date.now();
    pending = null;
    const progress: JobProgress = {
      done: update.done,
      total: update.total ?? null,
      message: update.message ?? null,
      updatedAt: new Date().toISOString(),
    };
    await dataSource.query(
      `UPDATE jobs SET progress = $3::jsonb WHERE id = $1 AND lease_owner = $2 AND status = 'running'`,
      [job.id, job.leaseOwner, JSON.stringify(progress)],
    );
  };
  return {
    progress: async (update) => {
      if (Date.now() - lastWrite < MIN_INTERVAL_MS) {
        pending = update;
        return;
      }
      await write(update);
    },
    flush: async () => {
      if (pending) await write(pending);
    },
  };
}
