import type { FileMetadata } from '@nexus/filesystem';
import type { EntityManager } from 'typeorm';

/** A live file as the index needs it (from file_paths, the source of truth). */
export interface LiveFile {
  id: string;
  path: string;
  version: number;
  contentHash: string;
  size: number;
  mimeType: string | null;
  metadata: FileMetadata;
  tags: string[];
}

const COLUMNS = `id, path, version, content_hash AS "contentHash", size::float8 AS size,
  mime_type AS "mimeType", metadata, tags`;

/** The live files among `ids` in the zone (directories and deleted entries are left out). */
export async function liveFilesById(
  manager: EntityManager,
  zoneId: string,
  ids: readonly string[],
): Promise<LiveFile[]> {
  if (ids.length === 0) return [];
  return manager.query<LiveFile[]>(
    `SELECT ${COLUMNS} FROM file_paths
      WHERE zone_id = $1 AND id = ANY($2::uuid[]) AND deleted_at IS NULL AND kind = 'file'`,
    [zoneId, ids],
  );
}

/** The zone's live files after `afterPath` in path order (a reindex walks the zone in pages). */
export async function liveFilesPage(
  manager: EntityManager,
  zoneId: string,
  afterPath: string,
  limit: number,
): Promise<LiveFile[]> {
  return manager.query<LiveFile[]>(
    `SELECT ${COLUMNS} FROM file_paths
      WHERE zone_id = $1 AND deleted_at IS NULL AND kind = 'file' AND path > $2
      ORDER BY path LIMIT $3`,
    [zoneId, afterPath, limit],
  );
}

/** How many live files the zone has (a reindex's total). */
export async function countLiveFiles(manager: EntityManager, zoneId: string): Promise<number> {
  const [row] = await manager.query<Array<{ count: number }>>(
    `SELECT count(*)::int AS count FROM file_paths WHERE zone_id = $1 AND deleted_at IS NULL AND kind = 'file'`,
    [zoneId],
  );
  return row?.count ?? 0;
}

/** `[low, high)` bounds of the paths strictly below `dir` in "C" order ('0' follows '/'). */
export function subtreeBounds(dir: string): [string, string] {
  const base = dir === '/' ? '' : dir;
  return [`${base}/`, `${base}0`];
}
