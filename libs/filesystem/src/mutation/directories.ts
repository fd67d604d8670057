import { creationTuples } from '../access/fs-access';
import type { FilePath } from '../entities/file-path.entity';
import { concurrentChange, notADirectory, parentNotFound } from '../filesystem.errors';
import { ROOT_PATH } from '../path/zone-path';
import { FileRows } from '../store/file-rows';
import { ancestorsOf } from '../store/path-locks';
import type { Mutation } from './mutation';

/**
 * Makes sure `dir` is a directory, creating the missing ones on the way when
 * `create` is set (each owned by the actor, with its parent tuple, and a
 * `dir_create` event). Resolves its row, or null for `/`. The caller holds the
 * path locks; `known` are the chain's live rows when the caller read them under those locks.
 */
export async function ensureDirectory(
  mutation: Mutation,
  dir: string,
  create: boolean,
  known?: ReadonlyMap<string, FilePath>,
): Promise<FilePath | null> {
  if (dir === ROOT_PATH) return null;
  const chain = [...ancestorsOf(dir).filter((path) => path !== ROOT_PATH), dir];
  const existing =
    known ??
    new Map(
      (await FileRows.findMany(mutation.manager, mutation.zoneId, chain)).map((row) => [row.path, row]),
    );
  let parent: FilePath | null = null;
  for (const path of chain) {
    let row = existing.get(path) ?? null;
    if (row && row.kind !== 'dir') throw notADirectory(path);
    if (!row) {
      if (!create) throw parentNotFound(path === dir ? `${dir}/…` : path);
      row = await createDirectory(mutation, path, parent);
    }
    parent = row;
  }
  return parent;
}

/** Inserts one directory under `parent` (null: `/`); a concurrent creator's directory is used when it won. */
export async function createDirectory(
  mutation: Mutation,
  path: string,
  parent: FilePath | null,
): Promise<FilePath> {
  const inserted = await FileRows.insert(mutation.manager, {
    zoneId: mutation.zoneId,
    path,
    kind: 'dir',
    owner: mutation.actor,
  });
  if (!inserted) {
    const winner = await FileRows.find(mutation.manager, mutation.zoneId, path);
    if (!winner) throw concurrentChange(path);
    if (winner.kind !== 'dir') throw notADirectory(path);
    return winner;
  }
  mutation.writeTuples(creationTuples(mutation.principal, inserted.id, parent?.id ?? null));
  mutation.event('dir_create', path, { id: inserted.id });
  mutation.touched(inserted);
  return inserted;
}
