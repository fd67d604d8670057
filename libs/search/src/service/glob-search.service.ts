import { Injectable } from '@nestjs/common';
import { ValidationError, decodeCursor, encodeCursor, pageLimit } from '@nexus/core';
import type { Principal } from '@nexus/core';
import { FsAccess, normalizePath } from '@nexus/filesystem';
import type { FileKind, FileMetadata } from '@nexus/filesystem';
import { DataSource } from 'typeorm';
import { InvalidGlobError, compileGlob } from '../glob/glob-query';
import { prefixUpperBound, readableInPathOrder } from './readable-scan';

export interface GlobRequest {
  pattern: string;
  /** The directory the pattern is relative to (default `/`). */
  path?: string;
  /** Whether `*` and `**` match names starting with a dot (default false, as picomatch). */
  dot?: boolean;
  limit?: number;
  cursor?: string;
}

export interface GlobMatch {
  id: string;
  path: string;
  kind: FileKind;
  size: number;
  version: number;
  mimeType: string | null;
  tags: string[];
  metadata: FileMetadata;
  updatedAt: string;
}

interface GlobRow extends Omit<GlobMatch, 'updatedAt'> {
  updatedAt: Date;
}

const isPosition = (value: unknown): value is { after: string } =>
  typeof value === 'object' && value !== null && typeof (value as { after?: unknown }).after === 'string';

/** Rows read per permission round (a page's worth at least). */
const SCAN_PAGE = 200;

/**
 * glob: picomatch patterns answered from file_paths in SQL — the pattern's
 * fixed prefix bounds a range scan of the (zone, path) index and PostgreSQL's
 * regex engine checks the rest, so no row is filtered in Node but for the
 * permission check. Always current (file_paths is the source of truth).
 */
@Injectable()
export class GlobSearch {
  constructor(
    private readonly db: DataSource,
    private readonly access: FsAccess,
  ) {}

  async glob(
    principal: Principal,
    request: GlobRequest,
  ): Promise<{ items: GlobMatch[]; nextCursor: string | null }> {
    const limit = pageLimit(request.limit);
    const basePath = normalizePath(request.path ?? '/');
    let query;
    try {
      query = compileGlob(request.pattern, { basePath, dot: request.dot ?? false });
    } catch (error) {
      if (error instanceof InvalidGlobError)
        throw new ValidationError(`pattern: ${error.reason}`, { field: 'pattern' }, 'INVALID_GLOB');
      throw error;
    }
    const start = request.cursor ? decodeCursor(request.cursor, isPosition).after : '';
    const upper = prefixUpperBound(query.rangePrefix);
    const fetchPage = (after: string, n: number) =>
      this.db.query<GlobRow[]>(
        `SELECT id, path, kind, size::float8 AS size, version, mime_type AS "mimeType", tags, metadata,
                updated_at AS "updatedAt"
           FROM file_paths
          WHERE zone_id = $1 AND deleted_at IS NULL AND path >= $2 AND ($3::text IS NULL OR path < $3)
            AND path > $4 AND path ~ $5
          ORDER BY path LIMIT $6`,
        [principal.zoneId, query.rangePrefix, upper, after, query.regex, n],
      );
    const items: GlobMatch[] = [];
    for await (const row of readableInPathOrder(
      this.access,
      principal,
      fetchPage,
      start,
      Math.max(SCAN_PAGE, limit + 1),
    )) {
      if (items.length === limit)
        return { items, nextCursor: encodeCursor({ after: items[limit - 1]!.path }) };
      items.push({ ...row, updatedAt: new Date(row.updatedAt).toISOString() });
    }
    return { items, nextCursor: null };
  }
}
