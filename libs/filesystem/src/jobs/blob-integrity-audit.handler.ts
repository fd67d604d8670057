import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { NotFoundError } from '@nexus/core';
import { JobHandler, recordJobArtifact } from '@nexus/jobs';
import type { JobContext, JobHandlerContract, JobOutcome } from '@nexus/jobs';
import { DataSource } from 'typeorm';
import type { BlobStore } from '../blob/blob-store';
import { BLOB_STORE } from '../filesystem.tokens';
import { FS_INTEGRITY_AUDIT_JOB } from './fs-job-types';
import type { FsIntegrityAuditPayload } from './fs-job-types';

export const BLOB_INTEGRITY_ARTIFACT_KIND = 'blob_integrity_report';

export interface BlobMismatch {
  hash: string;
  /** What the stored bytes hash to now. */
  actualHash: string;
  expectedSize: number;
  actualSize: number;
}

export interface BlobIntegrityReport extends Record<string, unknown> {
  sampled: number;
  ok: number;
  missing: string[];
  mismatched: BlobMismatch[];
}

/**
 * `filesystem.integrity_audit`: re-hashes a random sample of referenced blobs
 * (every zone: blobs are shared by content) and reports the ones whose file is
 * missing or whose bytes no longer hash to their name. Unreferenced blobs are
 * left out: GC may remove them at any time. Re-running overwrites the artifact.
 */
@Injectable()
@JobHandler(FS_INTEGRITY_AUDIT_JOB)
export class BlobIntegrityAuditJobHandler implements JobHandlerContract<FsIntegrityAuditPayload> {
  constructor(
    private readonly db: DataSource,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
  ) {}

  async handle(payload: FsIntegrityAuditPayload, context: JobContext): Promise<JobOutcome> {
    const sample = await this.db.query<Array<{ hash: string; size: string }>>(
      `SELECT hash, size FROM content_blobs WHERE ref_count > 0 ORDER BY random() LIMIT $1`,
      [payload.sampleSize],
    );
    const report: BlobIntegrityReport = { sampled: sample.length, ok: 0, missing: [], mismatched: [] };
    for (const row of sample) {
      context.signal.throwIfAborted();
      const actual = await this.rehash(row.hash);
      if (!actual) report.missing.push(row.hash);
      else if (actual.hash !== row.hash || actual.size !== Number(row.size))
        report.mismatched.push({
          hash: row.hash,
          actualHash: actual.hash,
          expectedSize: Number(row.size),
          actualSize: actual.size,
        });
      else report.ok += 1;
    }
    await recordJobArtifact(this.db, {
      jobId: context.jobId,
      kind: BLOB_INTEGRITY_ARTIFACT_KIND,
      name: 'blobs',
      data: report,
    });
    return { status: 'succeeded', result: report };
  }

  /** The sha256 and size of the stored bytes (streamed), or null when the blob is not stored. */
  private async rehash(hash: string): Promise<{ hash: string; size: number } | null> {
    let stream;
    try {
      stream = await this.blobs.get(hash);
    } catch (error) {
      if (error instanceof NotFoundError) return null;
      throw error;
    }
    const hasher = createHash('sha256');
    let size = 0;
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      hasher.update(chunk);
      size += chunk.byteLength;
    }
    return { hash: hasher.digest('hex'), size };
  }
}
