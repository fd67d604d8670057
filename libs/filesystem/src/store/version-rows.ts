import type { EntityManager } from 'typeorm';
import type { NewEntry } from './file-rows';
import { baseName, parentPath } from '../path/zone-path';

/** What PostgreSQL filled in for a written entry. */
export interface WrittenEntry {
  id: string;
  createdAt: Date;
  updatedAt: Date;
}

interface WrittenRow {
  id: string;
  created_at: Date;
  updated_at: Date;
}

/** The content of one file version. */
export interface VersionContent {
  version: number;
  size: number;
  contentHash: string;
  mimeType: string;
  etag: string;
}

/**
 * A file entry and its version row written by one statement each (the write
 * path's hot spot: one round trip instead of two entity-manager calls).
 */
export class VersionRows {
  /**
   * Creates the file at `entry.path` with its first version, unless a live
   * entry holds the path (resolves null; relies on the partial unique index).
   */
  static async createFile(
    manager: EntityManager,
    entry: NewEntry & VersionContent,
    author: string,
  ): Promise<WrittenEntry | null> {
    const rows = await manager.query<WrittenRow[]>(
      `WITH entry AS (
         INSERT INTO file_paths (zone_id, path, parent_path, name, kind, owner, size, content_hash, mime_type, version, etag)
         VALUES ($1, $2, $3, $4, 'file', $5, $6, $7, $8, $9, $10)
         ON CONFLICT DO NOTHING
         RETURNING id, created_at, updated_at
       ), version AS (
         INSERT INTO file_versions (zone_id, path_id, version, content_hash, size, mime_type, author)
         SELECT $1, id, $9, $7, $6, $8, $11 FROM entry
       )
       SELECT id, created_at, updated_at FROM entry`,
      [
        entry.zoneId,
        entry.path,
        parentPath(entry.path) ?? '/',
        baseName(entry.path),
        entry.owner,
        entry.size,
        entry.contentHash,
        entry.mimeType,
        entry.version,
        entry.etag,
        author,
      ],
    );
    const row = rows[0];
    return row ? { id: row.id, createdAt: row.created_at, updatedAt: row.updated_at } : null;
  }

  /** Points the live file `id` at a new version and appends its version row; resolves the entry's new updated_at. */
  static async appendVersion(
    manager: EntityManager,
    id: string,
    content: VersionContent,
    author: string,
  ): Promise<Date> {
    const rows = await manager.query<{ updated_at: Date }[]>(
      `WITH entry AS (
         UPDATE file_paths SET version = $2, size = $3, content_hash = $4, mime_type = $5, etag = $6, updated_at = now()
         WHERE id = $1 RETURNING zone_id, updated_at
       ), version AS (
         INSERT INTO file_versions (zone_id, path_id, version, content_hash, size, mime_type, author)
         SELECT zone_id, $1, $2, $4, $3, $5, $7 FROM entry
       )
       SELECT updated_at FROM entry`,
      [id, content.version, content.size, content.contentHash, content.mimeType, content.etag, author],
    );
    return rows[0]?.updated_at ?? new Date();
  }
}
