import { Injectable } from '@nestjs/common';
import type { Principal } from '@nexus/core';
import { WriteGate } from '../access/write-gate';
import type { FileMetadata } from '../entities/file-path.entity';
import { rootImmutable } from '../filesystem.errors';
import { applyMetadataChange, validateMetadataChange } from '../metadata/metadata-change';
import type { MetadataChange } from '../metadata/metadata-change';
import { FsMutations } from '../mutation/fs-mutations';
import { requireEntry } from '../mutation/tree-rules';
import { lockForWrite } from '../mutation/write-version';
import { ROOT_PATH, normalizePath } from '../path/zone-path';
import { checkPreconditions } from './etag';
import { FsLocks } from './fs-locks.service';

export interface MetadataUpdate extends MetadataChange {
  /** The entry's current etag (or `*`): the change applies only to that content version. */
  ifMatch?: string;
}

export interface MetadataUpdateResult {
  path: string;
  metadata: FileMetadata;
  tags: string[];
  revision: string | null;
}

/**
 * PATCH /fs/metadata: user metadata and tags of a file or directory, editor on
 * the entry. One transaction (row, operation log, `metadata_change` event);
 * content, version and etag stay as they are.
 */
@Injectable()
export class FsMetadataWriter {
  constructor(
    private readonly gate: WriteGate,
    private readonly mutations: FsMutations,
    private readonly locks: FsLocks,
  ) {}

  async update(principal: Principal, rawPath: string, update: MetadataUpdate): Promise<MetadataUpdateResult> {
    validateMetadataChange(update);
    const path = normalizePath(rawPath);
    if (path === ROOT_PATH) throw rootImmutable('given metadata');
    await this.locks.assertWritable(principal, [path]);
    return this.gate.guarded(principal, [{ path, relation: 'editor' }], ([basis]) =>
      this.mutations.run(principal, async (mutation) => {
        await lockForWrite(mutation, [path]);
        await this.gate.confirm(mutation.manager, mutation.zoneId, basis!);
        const entry = await requireEntry(mutation, path);
        checkPreconditions(path, entry.etag, { ifMatch: update.ifMatch });
        const next = applyMetadataChange(entry, update);
        // TypeORM answers an UPDATE … RETURNING with [rows, affected].
        const [[row]] = await mutation.manager.query<[Array<{ updated_at: Date }>, number]>(
          `UPDATE file_paths SET metadata = $2::jsonb, tags = $3::text[], updated_at = now()
            WHERE id = $1 RETURNING updated_at`,
          [entry.id, JSON.stringify(next.metadata), next.tags],
        );
        mutation.operation('metadata', path, null, {
          keys: Object.keys(next.metadata).length,
          tags: next.tags.length,
        });
        mutation.event('metadata_change', path, {
          id: entry.id,
          kind: entry.kind,
          set: update.set ?? {},
          unset: update.unset ?? [],
          addTags: update.addTags ?? [],
          removeTags: update.removeTags ?? [],
          metadata: next.metadata,
          tags: next.tags,
        });
        mutation.touched(Object.assign(entry, next, { updatedAt: row!.updated_at }));
        return { path, metadata: next.metadata, tags: next.tags };
      }),
    );
  }
}
