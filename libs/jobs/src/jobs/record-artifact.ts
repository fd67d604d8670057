import type { DataSource, EntityManager } from 'typeorm';

export interface JobArtifactInput {
  jobId: string;
  kind: string;
  name: string;
  data: Record<string, unknown>;
}

/**
 * Records a handler's artifact. Keyed by (job, kind, name), so a re-run of the
 * job (at-least-once delivery) overwrites its earlier artifact instead of adding one.
 */
export async function recordJobArtifact(
  db: DataSource | EntityManager,
  artifact: JobArtifactInput,
): Promise<void> {
  await db.query(
    `INSERT INTO job_artifacts (job_id, kind, name, data) VALUES ($1, $2, $3, $4)
     ON CONFLICT (job_id, kind, name) DO UPDATE SET data = EXCLUDED.data, updated_at = now()`,
    [artifact.jobId, artifact.kind, artifact.name, JSON.stringify(artifact.data)],
  );
}
