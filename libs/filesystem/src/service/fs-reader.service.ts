import { Injectable } from '@nestjs/common';
import { pageLimit, decodeCursor, encodeCursor } from '@nexus/core';
import type { Page, Principal } from '@nexus/core';
import { DataSource } from 'typeorm';
import { FsAccess } from '../access/fs-access';
import { MetadataCache } from '../cache/metadata-cache';
import { FilePath } from '../entities/file-path.entity';
import { fileNotFound, notADirectory } from '../filesystem.errors';
import type { FileStat, ReadOptions } from '../fs.types';
import { ROOT_STAT, toFileStat } from '../mutation/file-stat';
import { ROOT_PATH, normalizePath } from '../path/zone-path';
import { FileRows } from '../store/file-rows';

export interface ListOptions extends ReadOptions {
  recursive?: boolean;
  limit?: number;
  cursor?: string;
}

interface ListCursor extends Record<string, unknown> {
  k: [string, string];
}

function isListCursor(value: unknown): value is ListCursor {
  const k = (value as { k?: unknown } | null)?.k;
  return Array.isArray(k) && k.length === 2 && k.every((part) => typeof part === 'string');
}

/**
 * Metadata reads: stat and exists answer from the raft-kv cache when it is
 * fresh enough (and fill it from PostgreSQL when not); lists read PostgreSQL.
 * Every answer passes the permission gate.
 */
@Injectable()
export class FsReader {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cache: MetadataCache,
    private readonly access: FsAccess,
  ) {}

  /** The entry at `path` without a permission check (null when absent); `/` always exists. */
  async lookup(zoneId: string, rawPath: string, options: ReadOptions = {}): Promise<FileStat | null> {
    const path = normalizePath(rawPath);
    if (path === ROOT_PATH) return ROOT_STAT;
    const cached = await this.cache.lookup(zoneId, path, options.minRevision ?? 0n);
    if (cached) return cached.stat;
    const observed = await this.cache.revision(zoneId).catch(() => null);
    const row = await FileRows.find(this.dataSource.manager, zoneId, path);
    const stat = row ? toFileStat(row) : null;
    if (observed !== null) await this.cache.fill(zoneId, path, stat, observed);
    return stat;
  }

  async stat(principal: Principal, rawPath: string, options: ReadOptions = {}): Promise<FileStat> {
    const stat = await this.lookup(principal.zoneId, rawPath, options);
    if (!stat) throw fileNotFound(normalizePath(rawPath));
    await this.access.require(principal, stat.id, 'viewer', stat.path);
    return stat;
  }

  /** Whether the path exists; an entry the caller may not read answers 403 like stat. */
  async exists(principal: Principal, rawPath: string, options: ReadOptions = {}): Promise<boolean> {
    const stat = await this.lookup(principal.zoneId, rawPath, options);
    if (!stat) return false;
    await this.access.require(principal, stat.id, 'viewer', stat.path);
    return true;
  }

  /**
   * A directory's entries (directories first, then by name), or its whole
   * subtree in path order; only entries the caller may read.
   */
  async list(principal: Principal, rawPath: string, options: ListOptions = {}): Promise<Page<FileStat>> {
    const dir = await this.stat(principal, rawPath, options);
    if (dir.kind !== 'dir') throw notADirectory(dir.path);
    const limit = pageLimit(options.limit);
    const after = options.cursor === undefined ? null : decodeCursor(options.cursor, isListCursor).k;
    const query = this.dataSource.manager
      .createQueryBuilder(FilePath, 'f')
      .where('f.zone_id = :zoneId', { zoneId: principal.zoneId })
      .limit(limit + 1);
    if (options.recursive) {
      const [from, to] = dir.path === ROOT_PATH ? ['/', '0'] : [`${dir.path}/`, `${dir.path}0`];
      query.andWhere('f.path > :from AND f.path < :to', { from, to }).orderBy('f.path', 'ASC');
      if (after) query.andWhere('f.path > :after', { after: after[1] });
    } else {
      query
        .andWhere('f.parent_path = :dir', { dir: dir.path })
        .orderBy('f.kind', 'ASC')
        .addOrderBy('f.name', 'ASC');
      if (after) query.andWhere('(f.kind, f.name) > (:kind, :name)', { kind: after[0], name: after[1] });
    }
    const rows = await query.getMany();
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const nextCursor =
      rows.length > limit && last
        ? encodeCursor({ k: options.recursive ? ['', last.path] : [last.kind, last.name] })
        : null;
    const readable = await this.access.readable(
      principal,
      page.map((row) => row.id),
    );
    return { items: page.filter((row) => readable.has(row.id)).map(toFileStat), nextCursor };
  }
}
