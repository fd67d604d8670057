import { ConflictError } from '@nexus/core';
import type { FilePath } from '../entities/file-path.entity';
import { ROOT_PATH, isAncestor } from '../path/zone-path';
import { notFound } from '../service/fs-reader.service';
import { FileRows } from '../store/file-rows';
import { notADirectory } from './directories';
import type { Mutation } from './mutation';
import { removeEntries } from './remove-entries';
import { isADirectory } from './write-version';

export function alreadyExists(path: string): ConflictError {
  return new ConflictError(`${path} already exists`, 'ALREADY_EXISTS', { path });
}

export function directoryNotEmpty(path: string): ConflictError {
  return new ConflictError(`${path} is not empty`, 'DIRECTORY_NOT_EMPTY', { path });
}

/** `/` has no row and always exists: it cannot be removed, moved or replaced. */
export function rootImmutable(action: 'removed' | 'moved' | 'replaced'): ConflictError {
  return new ConflictError(`/ cannot be ${action}`, 'ROOT_IMMUTABLE', { path: ROOT_PATH });
}

/** Rejects a rename or copy whose paths make no sense, before any work. */
export function checkTransfer(from: string, to: string, copying: boolean): void {
  if (to === ROOT_PATH) throw rootImmutable('replaced');
  if (from === ROOT_PATH && !copying) throw rootImmutable('moved');
  if (isAncestor(from, to) || (copying && from === to))
    throw new ConflictError(`${from} cannot be ${copying ? 'copied' : 'moved'} into itself`, 'INVALID_MOVE', {
      from,
      to,
    });
}

/** The live entry at `path`, or 404. */
export async function requireEntry(mutation: Mutation, path: string): Promise<FilePath> {
  const row = await FileRows.find(mutation.manager, mutation.zoneId, path);
  if (!row) throw notFound(path);
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
