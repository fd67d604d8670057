import type { EntityManager } from 'typeorm';
import { FilePath } from '../entities/file-path.entity';
import type { FileKind } from '../entities/file-path.entity';
import { baseName, parentPath } from '../path/zone-path';

/** The first path after every descendant of `dir` in "C" order ('0' is the byte after '/'). */
function subtreeBounds(dir: string): [string, string] {
  return dir === '/' ? ['/', '0'] : [`${dir}/`, `${dir}0`];
}

export interface NewEntry {
  zoneId: string;
  path: string;
  kind: FileKind;
  owner: string;
  size?: number;
  contentHash?: string | null;
  mimeType?: string | null;
  version?: number;
  etag?: string | null;
}

/** Queries on file_paths; every one filters on the zone and sees live rows only. */
export class FileRows {
  static async find(manager: EntityManager, zoneId: string, path: string): Promise<FilePath | null> {
    return manager.findOne(FilePath, { where: { zoneId, path } });
  }

  static async findMany(
    manager: EntityManager,
    zoneId: string,
    paths: readonly string[],
  ): Promise<FilePath[]> {
    if (paths.length === 0) return [];
    return manager
      .createQueryBuilder(FilePath, 'f')
      .where('f.zone_id = :zoneId AND f.path IN (:...paths)', { zoneId, paths })
      .getMany();
  }

  /** Every live entry strictly below `dir`, in path order. */
  static async subtree(manager: EntityManager, zoneId: string, dir: string): Promise<FilePath[]> {
    const [from, to] = subtreeBounds(dir);
    return manager
      .createQueryBuilder(FilePath, 'f')
      .where('f.zone_id = :zoneId AND f.path >= :from AND f.path < :to', { zoneId, from, to })
      .orderBy('f.path', 'ASC')
      .getMany();
  }

  static async hasChildren(manager: EntityManager, zoneId: string, dir: string): Promise<boolean> {
    const found = await manager
      .createQueryBuilder(FilePath, 'f')
      .select('1', 'one')
      .where('f.zone_id = :zoneId AND f.parent_path = :dir', { zoneId, dir })
      .limit(1)
      .getRawOne<{ one: number }>();
    return found !== undefined;
  }

  /**
   * Inserts an entry unless a live one holds the path (a concurrent creator won:
   * resolves null). Relies on the partial unique index on (zone_id, path).
   */
  static async insert(manager: EntityManager, entry: NewEntry): Promise<FilePath | null> {
    const result = await manager
      .createQueryBuilder()
      .insert()
      .into(FilePath)
      .values({
        zoneId: entry.zoneId,
        path: entry.path,
        parentPath: parentPath(entry.path) ?? '/',
        name: baseName(entry.path),
        kind: entry.kind,
        owner: entry.owner,
        size: entry.size ?? 0,
        contentHash: entry.contentHash ?? null,
        mimeType: entry.mimeType ?? null,
        version: entry.version ?? 0,
        etag: entry.etag ?? null,
      })
      .orIgnore()
      .returning('*')
      .execute();
    const raw = (result.raw as Record<string, unknown>[])[0];
    if (!raw) return null;
    return manager.create(FilePath, {
      ...entry,
      id: raw.id as string,
      parentPath: parentPath(entry.path) ?? '/',
      name: baseName(entry.path),
      size: entry.size ?? 0,
      contentHash: entry.contentHash ?? null,
      mimeType: entry.mimeType ?? null,
      version: entry.version ?? 0,
      etag: entry.etag ?? null,
      createdAt: raw.created_at as Date,
      updatedAt: raw.updated_at as Date,
      deletedAt: null,
    });
  }

  /**
   * Moves the live entry at `from` and everything below it to `to` in one
   * statement (ids stay, so permissions follow); resolves how many rows moved.
   * The caller holds the path locks and has made sure `to` is free.
   */
  static async move(manager: EntityManager, zoneId: string, from: string, to: string): Promise<number> {
    const [below, after] = subtreeBounds(from);
    const result = await manager.query<[unknown[], number]>(
      `UPDATE file_paths SET
         path = $3 || substr(path, length($2) + 1),
         parent_path = CASE WHEN path = $2 THEN $4 ELSE $3 || substr(parent_path, length($2) + 1) END,
         name = CASE WHEN path = $2 THEN $5 ELSE name END,
         updated_at = CASE WHEN path = $2 THEN now() ELSE updated_at END
       WHERE zone_id = $1 AND deleted_at IS NULL AND (path = $2 OR (path >= $6 AND path < $7))`,
      [zoneId, from, to, parentPath(to) ?? '/', baseName(to), below, after],
    );
    return result[1];
  }

  /** Soft-deletes entries by id. */
  static async softDelete(manager: EntityManager, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await manager
      .createQueryBuilder()
      .update(FilePath)
      .set({ deletedAt: () => 'now()' })
      // One array parameter, however large the subtree (a list would hit the 65,535-parameter limit).
      .where('id = ANY(:ids::uuid[])', { ids })
      .execute();
  }
}
