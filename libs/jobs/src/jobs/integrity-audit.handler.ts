import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { JobContext, JobHandlerContract, JobOutcome } from '../registry/job-handler';
import { JobHandler } from '../registry/job-handler';
import { recordJobArtifact } from './record-artifact';
import { INTEGRITY_AUDIT_JOB } from './system-job-types';
import type { IntegrityAuditPayload } from './system-job-types';

export const INTEGRITY_ARTIFACT_KIND = 'integrity_report';

/**
 * Samples up to `sampleSize` rows of a zone-scoped table (the job's zone only),
 * hashes each row and the sorted row hashes into one sha256, compares it with
 * `expectedChecksum` when given, and records the report as an artifact. Re-running
 * overwrites the same artifact, so the handler is idempotent.
 */
@Injectable()
@JobHandler(INTEGRITY_AUDIT_JOB)
export class IntegrityAuditJobHandler implements JobHandlerContract<IntegrityAuditPayload> {
  constructor(private readonly dataSource: DataSource) {}

  async handle(payload: IntegrityAuditPayload, context: JobContext): Promise<JobOutcome> {
    const columns = await this.dataSource.query<Array<{ column_name: string }>>(
      `SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1`,
      [payload.table],
    );
    const names = new Set(columns.map((column) => column.column_name));
    if (!names.has('zone_id')) {
      return { status: 'failed', error: `table ${payload.table} does not exist or is not zone-scoped` };
    }
    if (context.signal.aborted) return { status: 'failed', error: 'aborted' };
    const order = names.has('id') ? 'ORDER BY t.id' : '';
    const rows = await this.dataSource.query<Array<{ row: string }>>(
      `SELECT to_jsonb(t)::text AS row FROM "${payload.table}" t WHERE t.zone_id = $1 ${order} LIMIT $2`,
      [context.zoneId, payload.sampleSize],
    );
    const rowHashes = rows.map((row) => createHash('sha256').update(row.row).digest('hex')).sort();
    const checksum = createHash('sha256').update(rowHashes.join('\n')).digest('hex');
    const matches = payload.expectedChecksum === undefined ? null : payload.expectedChecksum === checksum;
    const report = { table: payload.table, sampled: rows.length, checksum, expectedChecksum: payload.expectedChecksum ?? null, matches };
    await recordJobArtifact(this.dataSource, {
      jobId: context.jobId,
      kind: INTEGRITY_ARTIFACT_KIND,
      name: payload.table,
      data: report,
    });
    return { status: 'succeeded', result: report };
  }
}
