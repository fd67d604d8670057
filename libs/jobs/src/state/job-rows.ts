import type { DataSource } from 'typeorm';
import { Job } from '../entities/job.entity';

/** Turns a raw `RETURNING *` row (snake_case) into a Job entity. */
export function hydrateJob(dataSource: DataSource, raw: Record<string, unknown>): Job {
  const job = new Job();
  const target = job as unknown as Record<string, unknown>;
  for (const column of dataSource.getMetadata(Job).columns) {
    if (column.databaseName in raw) target[column.propertyName] = raw[column.databaseName];
  }
  return job;
}

/** pg returns `[rows, affected]` for UPDATE … RETURNING through TypeORM's query(). */
export function returnedRows(result: unknown): Array<Record<string, unknown>> {
  if (Array.isArray(result) && Array.isArray(result[0])) return result[0] as Array<Record<string, unknown>>;
  if (Array.isArray(result)) return result as Array<Record<string, unknown>>;
  return [];
}
