import type { RelationTuple } from '@nexus/rebac';
import { FILE_OBJECT_TYPE } from '../access/fs-access';
import type { FilePath } from '../entities/file-path.entity';
import { ROOT_PATH } from '../path/zone-path';
import { FileRows } from '../store/file-rows';
import type { Mutation } from './mutation';

function parentTuples(entryId: string, parent: FilePath | null): RelationTuple[] {
  if (!parent) return [];
  return [
    {
      object: { type: FILE_OBJECT_TYPE, id: entryId },
      relation: 'parent',
      subject: { type: FILE_OBJECT_TYPE, id: parent.id },
    },
  ];
}

/**
 * Moves `source` and its whole subtree to `to`, under `newParent` (null: `/`),
 * with one UPDATE. Ids stay, so every tuple on the moved entries still holds;
 * only the top entry's `parent` tuple changes. The cache learns every old path
 * as gone and every moved row at its new path. The caller holds the locks and
 * has cleared `to`. Resolves how many entries moved.
 */
export async function moveEntry(
  mutation: Mutation,
  source: FilePath,
  to: string,
  newParent: FilePath | null,
): Promise<number> {
  const { manager, zoneId } = mutation;
  const isDir = source.kind === 'dir';
  const oldBelow = isDir ? await FileRows.subtree(manager, zoneId, source.path) : [];
  const oldParent =
    source.parentPath === ROOT_PATH ? null : await FileRows.find(manager, zoneId, source.parentPath);
  const moved = await FileRows.move(manager, zoneId, source.path, to);
  if ((oldParent?.id ?? null) !== (newParent?.id ?? null))
    mutation.writeTuples(parentTuples(source.id, newParent), parentTuples(source.id, oldParent));
  for (const row of [source, ...oldBelow]) mutation.gone(row.path);
  const top = await FileRows.find(manager, zoneId, to);
  const newBelow = isDir ? await FileRows.subtree(manager, zoneId, to) : [];
  for (const row of [top!, ...newBelow]) mutation.touched(row);
  return moved;
}
