import type { DataSource, EntityManager } from 'typeorm';
import type { Job } from '../entities/job.entity';
import { hydrateJob, returnedRows } from '../state/job-rows';

/** A validated job about to be inserted (its payload already JSON). */
export interface PreparedJob {
  id: string;
  type: string;
  payload: string;
  maxAttempts: number;
  runAt: Date;
  idempotencyKey: string | null;
}

/**
 * Inserts queued jobs of one zone and submitter with one statement in `manager`'s
 * transaction. Rows whose idempotency key the zone already holds are skipped (not
 * returned). Publishing them is the caller's, after the commit.
 */
export async function insertJobRows(
  dataSource: DataSource,
  manager: EntityManager,
  zoneId: string,
  createdBy: string,
  jobs: readonly PreparedJob[],
): Promise<Job[]> {
  if (jobs.length === 0) return [];
  const rows = returnedRows(
    await manager.query(
      `INSERT INTO jobs (id, zone_id, type, payload, status, max_attempts, next_run_at, idempotency_key, created_by)
       SELECT b.id, $1, b.type, b.payload, 'queued', b.max_attempts, b.run_at, b.idempotency_key, $2
         FROM unnest($3::uuid[], $4::varchar[], $5::jsonb[], $6::int[], $7::timestamptz[], $8::varchar[])
           AS b(id, type, payload, max_attempts, run_at, idempotency_key)
       ON CONFLICT (zone_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING RETURNING *`,
      [
        zoneId,
        createdBy,
        jobs.map((job) => job.id),
        jobs.map((job) => job.type),
        jobs.map((job) => job.payload),
        jobs.map((job) => job.maxAttempts),
        jobs.map((job) => job.runAt),
        jobs.map((job) => job.idempotencyKey),
      ],
    ),
  );
  return rows.map((raw) => hydrateJob(dataSource, raw));
}
