import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@nexus/core';
import { WriteGate } from '../access/write-gate';
import type { BlobStore } from '../blob/blob-store';
import { isADirectory } from '../filesystem.errors';
import { BLOB_STORE } from '../filesystem.tokens';
import type { WritePreconditions, WriteResult } from '../fs.types';
import { FsMutations } from '../mutation/fs-mutations';
import { lockForWrite, writeFileVersion } from '../mutation/write-version';
import { ROOT_PATH, normalizePath } from '../path/zone-path';
import { FsLocks } from './fs-locks.service';
import { mimeTypeFor } from './mime-types';

/** How long after the upload started its permission decision still stands for the transaction. */
const DECISION_REUSE_MS = 1_000;

export interface WriteFileOptions {
  /** Create missing parent directories. */
  parents?: boolean;
  preconditions?: WritePreconditions;
  /** The declared Content-Type; guessed from the extension when absent or generic. */
  mimeType?: string | null;
}

/**
 * Writes a file from a stream: the content goes to the blob store first
 * (streamed, hashed, deduplicated), then one transaction appends the version.
 * A crash in between leaves only an unreferenced blob, which GC reclaims.
 */
@Injectable()
export class FileWriter {
  constructor(
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    private readonly gate: WriteGate,
    private readonly mutations: FsMutations,
    private readonly locks: FsLocks,
  ) {}

  async write(
    principal: Principal,
    rawPath: string,
    body: AsyncIterable<Uint8Array>,
    options: WriteFileOptions = {},
  ): Promise<WriteResult> {
    const path = normalizePath(rawPath);
    if (path === ROOT_PATH) throw isADirectory(path);
    await this.locks.assertWritable(principal, [path]);
    // Permission before the upload, so a denied caller cannot fill the disk.
    const checked = await this.gate.check(principal, path);
    const checkedAt = Date.now();
    const stored = await this.blobs.put(body);
    // A small upload reuses that decision; after a long one it is asked again, so a revoke meanwhile counts.
    const stillFresh = Date.now() - checkedAt < DECISION_REUSE_MS;
    const content = { hash: stored.hash, size: stored.size, mimeType: mimeTypeFor(path, options.mimeType) };
    return this.gate.guarded(
      principal,
      [{ path }],
      ([checkedBasis]) =>
        this.mutations.run(principal, async (mutation) => {
          await lockForWrite(mutation, [path]);
          const basis = await this.gate.confirm(mutation.manager, mutation.zoneId, checkedBasis!);
          const { row, created } = await writeFileVersion(mutation, path, content, { ...options, basis });
          mutation.operation('write', path, null, { version: row.version, size: row.size });
          return {
            path,
            version: row.version,
            etag: row.etag!,
            size: row.size,
            contentHash: content.hash,
            created,
          };
        }),
      stillFresh ? [checked] : undefined,
    );
  }
}
