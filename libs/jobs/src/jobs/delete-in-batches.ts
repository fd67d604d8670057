import type { DataSource } from 'typeorm';
import { returnedRows } from '../state/job-rows';

/** Rows one retention DELETE removes at most: short statements, so pruning never holds many row locks for long. */
export const RETENTION_BATCH = 5_000;

/** Which rows of which table: `where` uses $1…$n for `params` (the batch size is appended as the next one). */
export interface BatchedDelete {
  table: string;
  /** The primary key column: each batch deletes by it. */
  key: string;
  where: string;
  params: readonly unknown[];
}

export interface BatchedDeleteResult {
  deleted: number;
  /** DELETE statements run (the last one found fewer than a batch). */
  batches: number;
  /** The signal stopped it between two batches; what was deleted stays deleted. */
  aborted: boolean;
}

/**
 * Deletes the rows `spec` selects, at most `batchSize` per statement, until a
 * statement deletes fewer: each statement commits on its own, so a retried job
 * just carries on with what is left. SKIP LOCKED leaves rows another
 * transaction holds for a later batch or run instead of waiting on them.
 */
export async function deleteInBatches(
  db: DataSource,
  spec: BatchedDelete,
  signal: AbortSignal,
  batchSize = RETENTION_BATCH,
): Promise<BatchedDeleteResult> {
  const limit = `$${spec.params.length + 1}`;
  const sql = `DELETE FROM ${spec.table} WHERE ${spec.key} IN (
      SELECT ${spec.key} FROM ${spec.table} WHERE ${spec.where} LIMIT ${limit} FOR UPDATE SKIP LOCKED)
    RETURNING 1`;
  let deleted = 0;
  let batches = 0;
  for (;;) {
    if (signal.aborted) return { deleted, batches, aborted: true };
    const rows = returnedRows(await db.query(sql, [...spec.params, batchSize]));
    batches += 1;
    deleted += rows.length;
    if (rows.length < batchSize) return { deleted, batches, aborted: false };
  }
}
