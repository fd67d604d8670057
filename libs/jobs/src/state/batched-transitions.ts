import { sqlStateOf } from '@nexus/storage-models';
import type { DataSource } from 'typeorm';
import { returnedRows } from './job-rows';

export interface LeaseRequest {
  id: string;
  owner: string;
  leaseMs: number;
}

export interface CompleteRequest {
  id: string;
  owner: string;
  result: Record<string, unknown>;
}

type Row = Record<string, unknown>;

/** What a leased job carries: what its handler and the lease bookkeeping need. */
const LEASED_COLUMNS =
  'j.id, j.type, j.payload, j.zone_id, j.created_by, j.status, j.attempt_count, j.max_attempts, ' +
  'j.lease_owner, j.lease_expires_at, j.started_at, j.next_run_at';

const DEADLOCK_ATTEMPTS = 3;

/*
 * The status tests are written `(…) IS TRUE` so that they are filters, not index
 * conditions: the batch is then always looked up by primary key. As an index
 * condition on (status, next_run_at), a stale row estimate (the queue's depth
 * changes much faster than ANALYZE runs) makes the planner scan every queued job
 * and hash-join the batch against them, several times the cost of the lookups.
 */

/**
 * queued | retry_wait → running for every due job of the batch, each with its own
 * owner and lease. One compare-and-set UPDATE: rows are locked in id order (so
 * two batches never deadlock each other) and re-checked under the lock. Returns
 * the rows it leased; a job missing from the answer was not leasable or not due.
 */
export function leaseBatch(
  dataSource: DataSource,
  items: readonly LeaseRequest[],
  now: Date,
): Promise<Row[]> {
  return withDeadlockRetry(async () =>
    returnedRows(
      await dataSource.query(
        `WITH d AS (SELECT * FROM unnest($1::uuid[], $2::varchar[], $3::timestamptz[]) AS d(id, owner, expires)),
         target AS (
           SELECT j.id, d.owner, d.expires FROM jobs j JOIN d ON d.id = j.id
           WHERE (j.status IN ('queued', 'retry_wait') AND j.next_run_at <= $4) IS TRUE
           ORDER BY j.id FOR UPDATE OF j)
         UPDATE jobs j SET status = 'running', lease_owner = t.owner, lease_expires_at = t.expires,
           attempt_count = j.attempt_count + 1, started_at = COALESCE(j.started_at, $4), updated_at = now()
         FROM target t WHERE j.id = t.id AND (j.status IN ('queued', 'retry_wait') AND j.next_run_at <= $4) IS TRUE
         RETURNING ${LEASED_COLUMNS}`,
        [
          items.map((item) => item.id),
          items.map((item) => item.owner),
          items.map((item) => new Date(now.getTime() + item.leaseMs)),
          now,
        ],
      ),
    ),
  );
}

/**
 * running → succeeded for every job of the batch still leased by the given owner,
 * in one compare-and-set UPDATE (id-ordered locks, re-checked under the lock).
 * Returns the rows it completed.
 */
export function completeBatch(
  dataSource: DataSource,
  items: readonly CompleteRequest[],
  now: Date,
): Promise<Row[]> {
  return withDeadlockRetry(async () =>
    returnedRows(
      await dataSource.query(
        `WITH d AS (SELECT * FROM unnest($1::uuid[], $2::varchar[], $3::jsonb[]) AS d(id, owner, result)),
         target AS (
           SELECT j.id, d.owner, d.result FROM jobs j JOIN d ON d.id = j.id
           WHERE (j.status = 'running' AND j.lease_owner = d.owner) IS TRUE
           ORDER BY j.id FOR UPDATE OF j)
         UPDATE jobs j SET status = 'succeeded', result = t.result, finished_at = $4, lease_owner = NULL,
           lease_expires_at = NULL, last_error = NULL, updated_at = now()
         FROM target t WHERE j.id = t.id AND (j.status = 'running' AND j.lease_owner = t.owner) IS TRUE
         RETURNING j.id, j.status, j.finished_at`,
        [
          items.map((item) => item.id),
          items.map((item) => item.owner),
          items.map((item) => JSON.stringify(item.result)),
          now,
        ],
      ),
    ),
  );
}

/**
 * A deadlock rolls the whole statement back, so running it again is safe. Batches
 * lock in id order, but other multi-row writers of `jobs` may not.
 */
async function withDeadlockRetry<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await run();
    } catch (error) {
      if (attempt >= DEADLOCK_ATTEMPTS || sqlStateOf(error) !== '40P01') throw error;
    }
  }
}
