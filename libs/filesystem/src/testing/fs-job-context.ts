import { randomUUID } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import type { JobContext } from '@nexus/jobs';
import { SYSTEM_ZONE_ID } from '@nexus/jobs';
import { DataSource } from 'typeorm';

/**
 * A JobContext for calling a filesystem job handler directly, backed by a real
 * (never delivered) jobs row so the handler's artifacts have a job to belong to.
 */
export async function fsJobContext(
  app: INestApplicationContext,
  type: string,
  signal = new AbortController().signal,
): Promise<JobContext> {
  const [row] = await app
    .get(DataSource)
    .query<Array<{ id: string }>>(
      `INSERT INTO jobs (zone_id, type, payload, next_run_at, created_by) VALUES ($1, $2, '{}', 'infinity', 'test:fs') RETURNING id`,
      [SYSTEM_ZONE_ID, type],
    );
  return {
    jobId: row?.id ?? randomUUID(),
    zoneId: SYSTEM_ZONE_ID,
    createdBy: 'test:fs',
    attempt: 1,
    maxAttempts: 1,
    signal,
    progress: () => Promise.resolve(),
  };
}

/** The artifacts a job recorded, by kind. */
export async function jobArtifacts(
  app: INestApplicationContext,
  jobId: string,
): Promise<Array<{ kind: string; name: string; data: Record<string, unknown> }>> {
  return app
    .get(DataSource)
    .query(`SELECT kind, name, data FROM job_artifacts WHERE job_id = $1 ORDER BY kind, name`, [jobId]);
}
