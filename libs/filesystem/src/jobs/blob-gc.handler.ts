import { Inject, Injectable } from '@nestjs/common';
import { JobHandler, recordJobArtifact } from '@nexus/jobs';
import type { JobContext, JobHandlerContract, JobOutcome } from '@nexus/jobs';
import { DataSource } from 'typeorm';
import type { BlobStore } from '../blob/blob-store';
import { BLOB_STORE } from '../filesystem.tokens';
import { collectOrphanBlobs } from '../gc/orphan-blobs';
import { collectUnreferencedBlobs } from '../gc/unreferenced-blobs';
import { FS_GC_JOB } from './fs-job-types';
import type { FsGcPayload } from './fs-job-types';

export const DEFAULT_GC_GRACE_SECONDS = 3600;
export const GC_ARTIFACT_KIND = 'blob_gc_report';

/**
 * `filesystem.gc`: reclaims blob storage across every zone (an operational job;
 * the zone it was submitted in does not limit it). Three passes, each sparing
 * anything younger than the grace period: blobs whose reference count is 0,
 * blob files no row knows (crash between upload and commit), and temp files of
 * interrupted uploads. Safe to run on several workers at once and to re-run.
 */
@Injectable()
@JobHandler(FS_GC_JOB)
export class BlobGcJobHandler implements JobHandlerContract<FsGcPayload> {
  constructor(
    private readonly db: DataSource,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
  ) {}

  async handle(payload: FsGcPayload, context: JobContext): Promise<JobOutcome> {
    const graceSeconds = payload.graceSeconds ?? DEFAULT_GC_GRACE_SECONDS;
    const unreferenced = await collectUnreferencedBlobs(this.db, this.blobs, graceSeconds, context.signal);
    const orphans = await collectOrphanBlobs(this.db, this.blobs, graceSeconds, context.signal);
    context.signal.throwIfAborted();
    const tempFilesRemoved =
      (await this.blobs.removeStaleTempFiles?.(new Date(Date.now() - graceSeconds * 1000))) ?? 0;
    const report = {
      graceSeconds,
      unreferenced,
      orphans,
      tempFilesRemoved,
      blobsDeleted: unreferenced.deleted + orphans.deleted,
      bytesFreed: unreferenced.bytesFreed + orphans.bytesFreed,
    };
    await recordJobArtifact(this.db, {
      jobId: context.jobId,
      kind: GC_ARTIFACT_KIND,
      name: 'blobs',
      data: report,
    });
    return { status: 'succeeded', result: report };
  }
}
