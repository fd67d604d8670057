import { Injectable } from '@nestjs/common';
import type { Principal } from '@nexus/core';
import { DataSource } from 'typeorm';
import { WriteGate } from '../access/write-gate';
import type { AccessBasis } from '../access/write-gate';
import { copyEntry } from '../mutation/copy-entry';
import {
  alreadyExists,
  directoryNotEmpty,
  isADirectory,
  notADirectory,
  rootImmutable,
} from '../filesystem.errors';
import { createDirectory, ensureDirectory } from '../mutation/directories';
import { FsMutations } from '../mutation/fs-mutations';
import type { Mutation } from '../mutation/mutation';
import { moveEntry } from '../mutation/move-entry';
import { removeEntries } from '../mutation/remove-entries';
import { checkTransfer, clearDestination, requireEntry } from '../mutation/tree-rules';
import { lockForWrite } from '../mutation/write-version';
import { ROOT_PATH, normalizePath, parentPath } from '../path/zone-path';
import { FileRows } from '../store/file-rows';
import { ancestorsOf, lockPaths } from '../store/path-locks';
import { checkPreconditions } from './etag';
import { FsLocks } from './fs-locks.service';

export interface MkdirOptions {
  /** Create missing ancestors, and accept an existing directory. */
  parents?: boolean;
}

export interface RmdirOptions {
  /** Remove the directory with everything in it. */
  recursive?: boolean;
}

export interface DeleteFileOptions {
  /** HTTP If-Match: the file's current etag (or `*`). */
  ifMatch?: string;
}

export interface TransferOptions {
  /** Replace an existing destination of the same kind (a directory only when empty). */
  overwrite?: boolean;
}

/**
 * The tree operations: mkdir, rmdir, delete, rename and copy. Each is one
 * transaction (see FsMutations) after the raft-kv lock check and the
 * permission gate; a rejected request changes nothing.
 */
@Injectable()
export class FsTree {
  constructor(
    private readonly dataSource: DataSource,
    private readonly gate: WriteGate,
    private readonly mutations: FsMutations,
    private readonly locks: FsLocks,
  ) {}

  async mkdir(
    principal: Principal,
    rawPath: string,
    options: MkdirOptions = {},
  ): Promise<{ path: string; created: boolean; revision: string | null }> {
    const path = normalizePath(rawPath);
    await this.locks.assertWritable(principal, [path]);
    return this.gate.guarded(principal, [{ path }], (bases) =>
      this.mutations.run(principal, async (mutation) => {
        await lockForWrite(mutation, [path]);
        await this.confirm(mutation, bases);
        const existing =
          path === ROOT_PATH ? 'dir' : (await FileRows.find(mutation.manager, mutation.zoneId, path))?.kind;
        if (existing === 'file') throw notADirectory(path);
        if (existing === 'dir') {
          if (!options.parents) throw alreadyExists(path);
          return { path, created: false };
        }
        const parent = await ensureDirectory(mutation, parentPath(path)!, options.parents ?? false);
        await createDirectory(mutation, path, parent);
        mutation.operation('mkdir', path);
        return { path, created: true };
      }),
    );
  }

  async rmdir(
    principal: Principal,
    rawPath: string,
    options: RmdirOptions = {},
  ): Promise<{ path: string; removed: number; revision: string | null }> {
    const path = normalizePath(rawPath);
    if (path === ROOT_PATH) throw rootImmutable('removed');
    await this.locks.assertWritable(principal, [path]);
    return this.gate.guarded(principal, [{ path }], async (bases) => {
      if (options.recursive) await this.assertSubtreeWritable(principal, path);
      return this.mutations.run(principal, async (mutation) => {
        await lockForWrite(mutation, [path]);
        await this.confirm(mutation, bases);
        const dir = await requireEntry(mutation, path);
        if (dir.kind !== 'dir') throw notADirectory(path);
        const { manager, zoneId } = mutation;
        if (!options.recursive && (await FileRows.hasChildren(manager, zoneId, path)))
          throw directoryNotEmpty(path);
        const rows = [dir, ...(options.recursive ? await FileRows.subtree(manager, zoneId, path) : [])];
        await removeEntries(mutation, rows);
        const files = rows.filter((row) => row.kind === 'file').length;
        mutation.operation('rmdir', path, null, { removed: rows.length });
        // One event for the whole subtree, as for a renamed directory: subscribers read dir_delete as
        // "everything under path is gone". One per entry would put thousands of outbox rows (and
        // webhook deliveries) into one transaction for a large tree.
        mutation.event('dir_delete', path, {
          id: dir.id,
          removed: rows.length,
          files,
          directories: rows.length - files,
        });
        return { path, removed: rows.length };
      });
    });
  }

  async deleteFile(
    principal: Principal,
    rawPath: string,
    options: DeleteFileOptions = {},
  ): Promise<{ path: string; revision: string | null }> {
    const path = normalizePath(rawPath);
    if (path === ROOT_PATH) throw isADirectory(path);
    await this.locks.assertWritable(principal, [path]);
    return this.gate.guarded(principal, [{ path }], (bases) =>
      this.mutations.run(principal, async (mutation) => {
        await lockForWrite(mutation, [path]);
        await this.confirm(mutation, bases);
        const file = await requireEntry(mutation, path);
        if (file.kind === 'dir') throw isADirectory(path);
        checkPreconditions(path, file.etag, { ifMatch: options.ifMatch });
        await removeEntries(mutation, [file]);
        mutation.operation('delete', path, null, { version: file.version });
        mutation.event('file_delete', path, { id: file.id, version: file.version });
        return { path };
      }),
    );
  }

  /** Moves a file or a whole directory subtree atomically; editor on the source and on the destination. */
  async rename(
    principal: Principal,
    rawFrom: string,
    rawTo: string,
    options: TransferOptions = {},
  ): Promise<{ from: string; to: string; moved: number; revision: string | null }> {
    const from = normalizePath(rawFrom);
    const to = normalizePath(rawTo);
    checkTransfer(from, to, false);
    await this.locks.assertWritable(principal, [from, to]);
    return this.gate.guarded(principal, [{ path: from }, { path: to }], async (bases) => {
      if (from !== to) await this.assertSubtreeWritable(principal, from);
      return this.mutations.run(principal, async (mutation) => {
        await this.lockTransfer(mutation, from, to, [from, to]);
        await this.confirm(mutation, bases);
        const source = await requireEntry(mutation, from);
        if (from === to) return { from, to, moved: 0 };
        const parent = await ensureDirectory(mutation, parentPath(to)!, false);
        await clearDestination(mutation, source, to, options.overwrite ?? false);
        const moved = await moveEntry(mutation, source, to, parent);
        mutation.operation('rename', to, from, { moved });
        mutation.event('file_rename', to, { id: source.id, from, to, kind: source.kind, moved });
        return { from, to, moved };
      });
    });
  }

  /** Copies a file or a whole directory subtree (sharing the blobs); viewer on the source, editor on the destination. */
  async copy(
    principal: Principal,
    rawFrom: string,
    rawTo: string,
    options: TransferOptions = {},
  ): Promise<{ from: string; to: string; copied: number; revision: string | null }> {
    const from = normalizePath(rawFrom);
    const to = normalizePath(rawTo);
    checkTransfer(from, to, true);
    await this.locks.assertWritable(principal, [to]);
    const targets = [{ path: from, relation: 'viewer' as const }, { path: to }];
    return this.gate.guarded(principal, targets, (bases) =>
      this.mutations.run(principal, async (mutation) => {
        // The source only shared: it is read, and must not move or change kind meanwhile.
        await this.lockTransfer(mutation, from, to, [to]);
        await this.confirm(mutation, bases);
        const source = await requireEntry(mutation, from);
        const parent = await ensureDirectory(mutation, parentPath(to)!, false);
        await clearDestination(mutation, source, to, options.overwrite ?? false);
        const copied = await copyEntry(mutation, source, to, parent);
        mutation.operation('copy', to, from, { copied });
        return { from, to, copied };
      }),
    );
  }

  private async confirm(mutation: Mutation, bases: readonly AccessBasis[]): Promise<void> {
    for (const basis of bases) await this.gate.confirm(mutation.manager, mutation.zoneId, basis);
  }

  /** Both paths and their ancestors: `exclusive` ones exclusively, the rest shared. */
  private async lockTransfer(
    mutation: Mutation,
    from: string,
    to: string,
    exclusive: string[],
  ): Promise<void> {
    const shared = [from, to, ...ancestorsOf(from), ...ancestorsOf(to)];
    await lockPaths(mutation.manager, mutation.zoneId, exclusive, shared);
  }

  /**
   * A raft-kv lock anywhere below a directory also stops removing or moving it.
   * Checked before the transaction, like every lock check (the locks are
   * advisory and live outside PostgreSQL).
   */
  private async assertSubtreeWritable(principal: Principal, dir: string): Promise<void> {
    const below = await FileRows.subtree(this.dataSource.manager, principal.zoneId, dir);
    if (below.length > 0)
      await this.locks.assertWritable(
        principal,
        below.map((row) => row.path),
      );
  }
}
