import type { FilePath } from '../entities/file-path.entity';
import {
  alreadyExists,
  directoryNotEmpty,
  fileNotFound,
  invalidMove,
  isADirectory,
  notADirectory,
  rootImmutable,
} from '../filesystem.errors';
import { ROOT_PATH, isAncestor } from '../path/zone-path';
import { FileRows } from '../store/file-rows';
import type { Mutation } from './mutation';
import { removeEntries } from './remove-entries';

/** Rejects a rename or copy whose paths make no sense, before any work. */
export function checkTransfer(from: string, to: string, copying: boolean): void {
  if (to === ROOT_PATH) throw rootImmutable('replaced');
  if (from === ROOT_PATH && !copying) throw rootImmutable('moved');
  if (isAncestor(from, to) || (copying && from === to)) throw invalidMove(from, to, copying);
}

/** The live entry at `path`, or 404. */
export async function requireEntry(mutation: Mutation, path: string): Promise<FilePath> {
  const row = await FileRows.find(mutation.manager, mutation.zoneId, path);
  if (!row) throw fileNotFound(path);
  return row;
}

/**
 * Makes room at `to` for `source` (rename and copy): an existing entry needs
 * `overwrite`, the same kind, and for a directory no entries; it is then
 * removed like a delete. The caller holds `to` exclusively.
 */
export async function clearDestination(
  mutation: Mutation,
  source: FilePath,
  to: string,
  overwrite: boolean,
): Promise<void> {
  const existing = await FileRows.find(mutation.manager, mutation.zoneId, to);
  if (!existing) return;
  if (!overwrite) throw alreadyExists(to);
  if (existing.kind !== source.kind) throw existing.kind === 'dir' ? isADirectory(to) : notADirectory(to);
  if (existing.kind === 'dir' && (await FileRows.hasChildren(mutation.manager, mutation.zoneId, to)))
    throw directoryNotEmpty(to);
  await removeEntries(mutation, [existing]);
  mutation.event(existing.kind === 'dir' ? 'dir_delete' : 'file_delete', to, {
    id: existing.id,
    replacedBy: source.path,
  });
}
