import type { JobSubmitter } from '@nexus/jobs';
import type { DataSource } from 'typeorm';

/** Submits a job of `type` for the zone unless one is queued, running or waiting to retry already. */
export async function submitUnlessPending(
  db: DataSource,
  jobs: JobSubmitter,
  job: { zoneId: string; type: string; payload: Record<string, unknown>; createdBy: string },
): Promise<{ jobId: string; created: boolean }> {
  const [pending] = await db.query<Array<{ id: string }>>(
    `SELECT id FROM jobs WHERE zone_id = $1 AND type = $2 AND status IN ('queued', 'running', 'retry_wait')
      ORDER BY created_at LIMIT 1`,
    [job.zoneId, job.type],
  );
  if (pending) return { jobId: pending.id, created: false };
  const { job: submitted } = await jobs.submit(job);
  return { jobId: submitted.id, created: true };
}
