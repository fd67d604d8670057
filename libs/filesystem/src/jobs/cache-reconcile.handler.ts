import { Injectable } from '@nestjs/common';
import { JobHandler, recordJobArtifact } from '@nexus/jobs';
import type { JobContext, JobHandlerContract, JobOutcome } from '@nexus/jobs';
import { KvStore } from '@nexus/raft-kv';
import { DataSource } from 'typeorm';
import { CacheReconciler } from '../cache/cache-reconciler';
import { FS_RECONCILE_JOB } from './fs-job-types';
import type { FsReconcilePayload } from './fs-job-types';

export const RECONCILE_ARTIFACT_KIND = 'metadata_cache_reconcile_report';

/**
 * `filesystem.reconcile`: repairs metadata cache entries that disagree with
 * PostgreSQL, in the zone the payload names or in every zone (an operational
 * job: the zone it was submitted in, usually the system zone, does not limit
 * it). Reports what it checked and fixed; re-running is harmless.
 */
@Injectable()
@JobHandler(FS_RECONCILE_JOB)
export class CacheReconcileJobHandler implements JobHandlerContract<FsReconcilePayload> {
  constructor(
    private readonly kv: KvStore,
    private readonly db: DataSource,
  ) {}

  async handle(payload: FsReconcilePayload, context: JobContext): Promise<JobOutcome> {
    const report = await new CacheReconciler(this.kv, this.db).run(payload, context.signal);
    await recordJobArtifact(this.db, {
      jobId: context.jobId,
      kind: RECONCILE_ARTIFACT_KIND,
      name: payload.zoneId ?? 'all-zones',
      data: report,
    });
    return { status: 'succeeded', result: report };
  }
}
