import type { RelationTuple } from '@nexus/rebac';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { creationTuples } from '../access/fs-access';
import type { FilePath } from '../entities/file-path.entity';
import { FileVersion } from '../entities/file-version.entity';
import { concurrentChange } from '../filesystem.errors';
import { etagFor } from '../service/etag';
import { FileRows } from '../store/file-rows';
import { createDirectory } from './directories';
import type { Mutation } from './mutation';

/** Version rows per INSERT (7 columns each, well under PostgreSQL's 65,535 parameters). */
const VERSION_BATCH = 1_000;

/** A new file at `path` with the source's current content as its version 1: the same blob, one more reference. */
async function copyFile(
  mutation: Mutation,
  source: FilePath,
  path: string,
): Promise<{ row: FilePath; version: QueryDeepPartialEntity<FileVersion> }> {
  const hash = source.contentHash!;
  const row = await FileRows.insert(mutation.manager, {
    zoneId: mutation.zoneId,
    path,
    kind: 'file',
    owner: mutation.actor,
    size: source.size,
    contentHash: hash,
    mimeType: source.mimeType,
    version: 1,
    etag: etagFor(1, hash),
  });
  // The destination's exclusive lock rules out a concurrent creator below it.
  if (!row) throw concurrentChange(path, 'was created concurrently');
  mutation.reference(hash, source.size);
  mutation.event('file_write', path, {
    id: row.id,
    version: 1,
    size: row.size,
    contentHash: hash,
    etag: row.etag,
    created: true,
    copiedFrom: source.path,
  });
  mutation.touched(row);
  const version = {
    zoneId: mutation.zoneId,
    pathId: row.id,
    version: 1,
    contentHash: hash,
    size: source.size,
    mimeType: source.mimeType,
    author: mutation.actor,
  };
  return { row, version };
}

/**
 * Copies `source` — a file, or a directory with its whole subtree — to `to`
 * under `parent` (null: `/`). Every new entry is owned by the copier and
 * inherits from its new parent; files share their blobs (no bytes are copied).
 * The caller holds the locks and has cleared `to`. Resolves how many entries
 * were created.
 */
export async function copyEntry(
  mutation: Mutation,
  source: FilePath,
  to: string,
  parent: FilePath | null,
): Promise<number> {
  const { manager, zoneId } = mutation;
  const below = source.kind === 'dir' ? await FileRows.subtree(manager, zoneId, source.path) : [];
  // New directories by their source path; path order creates every directory before its entries.
  const copies = new Map<string, FilePath | null>([[source.parentPath, parent]]);
  const tuples: RelationTuple[] = [];
  const versions: QueryDeepPartialEntity<FileVersion>[] = [];
  for (const entry of [source, ...below]) {
    const path = to + entry.path.slice(source.path.length);
    const newParent = copies.get(entry.parentPath) ?? null;
    if (entry.kind === 'dir') {
      copies.set(entry.path, await createDirectory(mutation, path, newParent));
      continue;
    }
    const { row, version } = await copyFile(mutation, entry, path);
    tuples.push(...creationTuples(mutation.principal, row.id, newParent?.id ?? null));
    versions.push(version);
  }
  mutation.writeTuples(tuples);
  for (let i = 0; i < versions.length; i += VERSION_BATCH)
    await manager.insert(FileVersion, versions.slice(i, i + VERSION_BATCH));
  return below.length + 1;
}
