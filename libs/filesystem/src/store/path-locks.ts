import type { EntityManager } from 'typeorm';
import { parentPath } from '../path/zone-path';

/** Namespace of the filesystem's advisory locks (the second key of hashtextextended). */
const LOCK_SPACE = 7311;

/**
 * Transaction-scoped advisory locks on paths. A mutation locks the paths it
 * changes exclusively and their ancestors shared, so a write inside `/a` and a
 * rename or rmdir of `/a` serialise, while writes to siblings run in parallel.
 * Locks are taken in one global order (path bytes) so two mutations never wait
 * on each other in a cycle.
 */
export async function lockPaths(
  manager: EntityManager,
  zoneId: string,
  exclusive: readonly string[],
  shared: readonly string[] = [],
): Promise<void> {
  const modes = new Map<string, boolean>();
  for (const path of shared) modes.set(path, false);
  for (const path of exclusive) modes.set(path, true);
  const ordered = [...modes.keys()].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  for (const path of ordered) {
    const fn = modes.get(path) ? 'pg_advisory_xact_lock' : 'pg_advisory_xact_lock_shared';
    await manager.query(`SELECT ${fn}(hashtextextended($1, ${LOCK_SPACE}))`, [`${zoneId}:${path}`]);
  }
}

/** Every proper ancestor of `path`, `/` first. */
export function ancestorsOf(path: string): string[] {
  const ancestors: string[] = [];
  for (let current = parentPath(path); current !== null; current = parentPath(current))
    ancestors.unshift(current);
  return ancestors;
}
