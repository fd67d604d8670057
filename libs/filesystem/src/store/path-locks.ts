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
  if (ordered.length === 0) return;
  // One round trip for all of them, taken one by one in the array's order (WITH ORDINALITY … ORDER BY).
  await manager.query(
    `SELECT CASE WHEN u.exclusive THEN pg_advisory_xact_lock(hashtextextended(u.key, ${LOCK_SPACE}))
                 ELSE pg_advisory_xact_lock_shared(hashtextextended(u.key, ${LOCK_SPACE})) END
       FROM (SELECT * FROM unnest($1::text[], $2::boolean[]) WITH ORDINALITY AS t(key, exclusive, n) ORDER BY n) AS u`,
    [ordered.map((path) => `${zoneId}:${path}`), ordered.map((path) => modes.get(path) === true)],
  );
}

/** Every proper ancestor of `path`, `/` first. */
export function ancestorsOf(path: string): string[] {
  const ancestors: string[] = [];
  for (let current = parentPath(path); current !== null; current = parentPath(current))
    ancestors.unshift(current);
  return ancestors;
}
