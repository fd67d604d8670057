import type { EntityManager } from 'typeorm';
import type { FilePath } from '../entities/file-path.entity';
import { FileRows } from '../store/file-rows';
import type { Mutation } from './mutation';

interface DroppedRefs {
  hash: string;
  size: string;
  count: number;
}

/** Hard-deletes the files' versions; resolves how many references each blob lost. */
async function dropVersions(
  manager: EntityManager,
  zoneId: string,
  fileIds: readonly string[],
): Promise<DroppedRefs[]> {
  if (fileIds.length === 0) return [];
  return manager.query<DroppedRefs[]>(
    `WITH gone AS (
       DELETE FROM file_versions WHERE zone_id = $1 AND path_id = ANY($2::uuid[])
       RETURNING content_hash, size
     )
     SELECT content_hash AS hash, max(size) AS size, count(*)::int AS count FROM gone GROUP BY content_hash`,
    [zoneId, fileIds],
  );
}

/**
 * Removes entries for good (delete, rmdir, an overwritten destination): the
 * rows are soft-deleted, their versions and the blob references those held
 * dropped, their tuples (as object and as parent) deleted, and their paths
 * tombstoned in the cache. The caller holds the locks and records the
 * operation and events.
 */
export async function removeEntries(mutation: Mutation, rows: readonly FilePath[]): Promise<void> {
  if (rows.length === 0) return;
  const ids = rows.map((row) => row.id);
  await FileRows.softDelete(mutation.manager, ids);
  const fileIds = rows.filter((row) => row.kind === 'file').map((row) => row.id);
  for (const dropped of await dropVersions(mutation.manager, mutation.zoneId, fileIds))
    mutation.reference(dropped.hash, Number(dropped.size), -dropped.count);
  mutation.dropPermissions(ids);
  for (const row of rows) mutation.gone(row.path);
}
