import { creationTuples } from '../access/fs-access';
import type { AccessBasis } from '../access/write-gate';
import { FilePath } from '../entities/file-path.entity';
import { concurrentChange, isADirectory } from '../filesystem.errors';
import type { WritePreconditions } from '../fs.types';
import { baseName, parentPath } from '../path/zone-path';
import { checkPreconditions, etagFor } from '../service/etag';
import { FileRows } from '../store/file-rows';
import { lockPaths, ancestorsOf } from '../store/path-locks';
import { VersionRows } from '../store/version-rows';
import type { VersionContent } from '../store/version-rows';
import { ensureDirectory } from './directories';
import type { Mutation } from './mutation';

export interface NewContent {
  hash: string;
  size: number;
  mimeType: string;
}

export interface WriteOptions {
  parents?: boolean;
  preconditions?: WritePreconditions;
  /** The path's basis as confirmed under the caller's locks: its rows are not read again. */
  basis?: AccessBasis;
}

/** Locks paths about to be written: each exclusively, their ancestors shared. */
export async function lockForWrite(mutation: Mutation, paths: readonly string[]): Promise<void> {
  await lockPaths(mutation.manager, mutation.zoneId, paths, paths.flatMap(ancestorsOf));
}

/**
 * Appends a version to the file at `path` (creating it, and its directories
 * with `parents`): the row, the version row, the blob reference, owner and
 * parent tuples for a new file, and its event. The caller holds the locks and
 * logs the operation.
 */
export async function writeFileVersion(
  mutation: Mutation,
  path: string,
  content: NewContent,
  options: WriteOptions = {},
): Promise<{ row: FilePath; created: boolean }> {
  const { manager, zoneId } = mutation;
  const current = options.basis ? options.basis.target : await FileRows.find(manager, zoneId, path);
  if (current?.kind === 'dir') throw isADirectory(path);
  checkPreconditions(path, current?.etag ?? null, options.preconditions);
  let row: FilePath;
  if (current) {
    const version = current.version + 1;
    const changes = versionOf(version, content);
    const updatedAt = await VersionRows.appendVersion(manager, current.id, changes, mutation.actor);
    row = Object.assign(current, changes, { updatedAt });
  } else {
    const parent = await ensureDirectory(
      mutation,
      parentPath(path) ?? '/',
      options.parents ?? false,
      options.basis?.chain,
    );
    const entry = { zoneId, path, kind: 'file' as const, owner: mutation.actor, ...versionOf(1, content) };
    const inserted = await VersionRows.createFile(manager, entry, mutation.actor);
    // The path lock makes a concurrent creator impossible; a miss means a broken invariant, not a race to paper over.
    if (!inserted) throw concurrentChange(path, 'was created concurrently');
    mutation.writeTuples(creationTuples(mutation.principal, inserted.id, parent?.id ?? null));
    row = manager.create(FilePath, {
      ...entry,
      ...inserted,
      parentPath: parentPath(path) ?? '/',
      name: baseName(path),
      deletedAt: null,
    });
  }
  mutation.reference(content.hash, content.size);
  mutation.event('file_write', path, {
    id: row.id,
    version: row.version,
    size: content.size,
    contentHash: content.hash,
    etag: row.etag,
    created: !current,
  });
  mutation.touched(row);
  return { row, created: !current };
}

function versionOf(version: number, content: NewContent): VersionContent {
  return {
    version,
    size: content.size,
    contentHash: content.hash,
    mimeType: content.mimeType,
    etag: etagFor(version, content.hash),
  };
}
