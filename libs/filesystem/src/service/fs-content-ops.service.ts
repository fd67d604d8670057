import { Inject, Injectable } from '@nestjs/common';
import { BaseConfig, pageLimit, ValidationError, decodeCursor, encodeCursor } from '@nexus/core';
import type { Page, Principal } from '@nexus/core';
import { DataSource } from 'typeorm';
import { WriteGate } from '../access/write-gate';
import type { BlobStore } from '../blob/blob-store';
import type { FilePath } from '../entities/file-path.entity';
import { FileVersion } from '../entities/file-version.entity';
import { concurrentChange, fileNotFound, isADirectory } from '../filesystem.errors';
import { BLOB_STORE } from '../filesystem.tokens';
import type { WriteResult } from '../fs.types';
import { FsMutations } from '../mutation/fs-mutations';
import { lockForWrite, writeFileVersion } from '../mutation/write-version';
import type { NewContent } from '../mutation/write-version';
import { ROOT_PATH, isAncestor, normalizePath, parentPath } from '../path/zone-path';
import { parseBatch } from './batch-input';
import type { BatchEntry, BatchWrite } from './batch-input';
import { checkPreconditions, etagFor } from './etag';
import { FileReader } from './file-reader.service';
import { FsLocks } from './fs-locks.service';
import { FsReader } from './fs-reader.service';
import { mimeTypeFor } from './mime-types';
import { MiB, bytesSource, readText } from './text-content';
import { applyEdits, validateEdits } from './text-edits';
import type { TextEdit } from './text-edits';
import { unifiedDiff } from './unified-diff';

/** One stored version of a file, as listed. */
export interface FileVersionView {
  version: number;
  size: number;
  contentHash: string;
  mimeType: string | null;
  etag: string;
  /** `subjectType:subjectId` of the writer. */
  author: string;
  createdAt: string;
}

/** Edits read the whole file into memory; larger files are refused. */
export const MAX_EDIT_BYTES = 8 * MiB;
/** Each version a diff compares is read whole; larger ones are refused. */
export const MAX_DIFF_BYTES = 1 * MiB;

interface VersionCursor extends Record<string, unknown> {
  v: number;
}

function isVersionCursor(value: unknown): value is VersionCursor {
  const v = (value as { v?: unknown } | null)?.v;
  return Number.isInteger(v) && (v as number) > 0;
}

function requireVersionNumber(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) throw new ValidationError(`${name} must be a positive integer`);
}

function writeResultOf(row: FilePath, created: boolean): Omit<WriteResult, 'revision'> {
  return {
    path: row.path,
    version: row.version,
    etag: row.etag!,
    size: row.size,
    contentHash: row.contentHash!,
    created,
  };
}

/** The deepest directory holding every path (the batch's operation-log path). */
function commonDirectory(paths: readonly string[]): string {
  let dir = parentPath(paths[0]!) ?? ROOT_PATH;
  while (dir !== ROOT_PATH && !paths.every((path) => isAncestor(dir, path))) dir = parentPath(dir)!;
  return dir;
}

/**
 * Content operations beyond the plain write: atomic batch writes, search and
 * replace edits, and the version history (list, restore, diff). Like
 * FileWriter, content goes to the blob store before the one transaction that
 * appends the versions, the operation-log row and the events.
 */
@Injectable()
export class FsContentOps {
  /** The decoded size a batch may total: the per-file limit (processes without one keep only the store's per-file cap). */
  private readonly maxBatchBytes: number;

  constructor(
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    private readonly gate: WriteGate,
    private readonly mutations: FsMutations,
    private readonly locks: FsLocks,
    private readonly reader: FsReader,
    private readonly files: FileReader,
    private readonly dataSource: DataSource,
    @Inject(BaseConfig) config: BaseConfig & { NEXUS_MAX_FILE_BYTES?: number },
  ) {
    this.maxBatchBytes = config.NEXUS_MAX_FILE_BYTES ?? Number.POSITIVE_INFINITY;
  }

  /** Writes all files or none, in one transaction (missing parents are created). */
  async batch(
    principal: Principal,
    writes: BatchWrite[],
    options: { ifMatch?: Record<string, string> } = {},
  ): Promise<{ items: Omit<WriteResult, 'revision'>[]; revision: string | null }> {
    const entries = parseBatch(writes, options.ifMatch ?? {}, this.maxBatchBytes);
    const paths = entries.map((entry) => entry.path);
    await this.locks.assertWritable(principal, paths);
    let stored: NewContent[] | undefined;
    return this.gate.guarded(
      principal,
      paths.map((path) => ({ path })),
      async (bases) => {
        // After the permission checks, so a denied caller cannot fill the disk; once, however often the gate retries.
        const contents = (stored ??= await this.storeAll(entries));
        return this.mutations.run(principal, async (mutation) => {
          await lockForWrite(mutation, paths);
          for (const basis of bases) await this.gate.confirm(mutation.manager, mutation.zoneId, basis);
          const items: Omit<WriteResult, 'revision'>[] = [];
          for (const [index, entry] of entries.entries()) {
            const preconditions = entry.ifMatch === undefined ? undefined : { ifMatch: entry.ifMatch };
            const { row, created } = await writeFileVersion(mutation, entry.path, contents[index]!, {
              parents: true,
              preconditions,
            });
            items.push(writeResultOf(row, created));
          }
          mutation.operation('batch', commonDirectory(paths), null, { paths, count: paths.length });
          return { items };
        });
      },
    );
  }

  /** Search/replace on a UTF-8 file, written only if the file is still the version the edits were applied to. */
  async edit(
    principal: Principal,
    rawPath: string,
    edits: TextEdit[],
    options: { ifMatch?: string } = {},
  ): Promise<WriteResult & { replacements: number }> {
    const path = normalizePath(rawPath);
    if (path === ROOT_PATH) throw isADirectory(path);
    validateEdits(edits);
    await this.locks.assertWritable(principal, [path]);
    const { target } = await this.gate.check(principal, path);
    if (!target) throw fileNotFound(path);
    if (target.kind === 'dir') throw isADirectory(path);
    // The caller's If-Match must hold for the version read; the write below then requires that very version.
    checkPreconditions(path, target.etag, { ifMatch: options.ifMatch });
    const before = await readText(this.blobs, path, target, MAX_EDIT_BYTES);
    const { text, replacements } = applyEdits(path, before, edits);
    const put = await this.blobs.put(bytesSource(Buffer.from(text, 'utf8')));
    const content = { hash: put.hash, size: put.size, mimeType: target.mimeType ?? mimeTypeFor(path) };
    return this.gate.guarded(principal, [{ path }], ([basis]) =>
      this.mutations.run(principal, async (mutation) => {
        await lockForWrite(mutation, [path]);
        await this.gate.confirm(mutation.manager, mutation.zoneId, basis!);
        const { row, created } = await writeFileVersion(mutation, path, content, {
          preconditions: { ifMatch: target.etag! },
        });
        mutation.operation('edit', path, null, { version: row.version, edits: edits.length, replacements });
        return { ...writeResultOf(row, created), replacements };
      }),
    );
  }

  /** The file's versions, newest first. */
  async versions(
    principal: Principal,
    rawPath: string,
    options: { limit?: number; cursor?: string } = {},
  ): Promise<Page<FileVersionView>> {
    const stat = await this.reader.stat(principal, rawPath);
    if (stat.kind === 'dir') throw isADirectory(stat.path);
    const limit = pageLimit(options.limit);
    const query = this.dataSource.manager
      .createQueryBuilder(FileVersion, 'v')
      .where('v.zone_id = :zoneId AND v.path_id = :pathId', { zoneId: principal.zoneId, pathId: stat.id })
      .orderBy('v.version', 'DESC')
      .limit(limit + 1);
    if (options.cursor !== undefined)
      query.andWhere('v.version < :before', { before: decodeCursor(options.cursor, isVersionCursor).v });
    const rows = await query.getMany();
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((row) => ({
        version: row.version,
        size: row.size,
        contentHash: row.contentHash,
        mimeType: row.mimeType,
        etag: etagFor(row.version, row.contentHash),
        author: row.author,
        createdAt: row.createdAt.toISOString(),
      })),
      nextCursor: rows.length > limit && last ? encodeCursor({ v: last.version }) : null,
    };
  }

  /** Appends a new version with an old version's content (the blob is referenced again, not copied). */
  async restore(principal: Principal, rawPath: string, version: number): Promise<WriteResult> {
    const path = normalizePath(rawPath);
    requireVersionNumber('version', version);
    const past = await this.files.describe(principal, path, { version });
    await this.locks.assertWritable(principal, [path]);
    const content = {
      hash: past.contentHash!,
      size: past.size,
      mimeType: past.mimeType ?? mimeTypeFor(path),
    };
    return this.gate.guarded(principal, [{ path }], ([basis]) =>
      this.mutations.run(principal, async (mutation) => {
        await lockForWrite(mutation, [path]);
        await this.gate.confirm(mutation.manager, mutation.zoneId, basis!);
        // The version belongs to the entry read above; a file deleted and recreated since has a history of its own.
        if (basis!.target?.id !== past.id) throw concurrentChange(path, 'was replaced while the request ran');
        const { row, created } = await writeFileVersion(mutation, path, content);
        mutation.operation('restore', path, null, { restoredFrom: version, version: row.version });
        return writeResultOf(row, created);
      }),
    );
  }

  /** A unified diff between two versions of a UTF-8 file. */
  async diff(
    principal: Principal,
    rawPath: string,
    from: number,
    to: number,
  ): Promise<{ path: string; from: number; to: number; diff: string }> {
    const path = normalizePath(rawPath);
    requireVersionNumber('from', from);
    requireVersionNumber('to', to);
    const older = await this.files.describe(principal, path, { version: from });
    const newer = await this.files.describe(principal, path, { version: to });
    const before = await readText(this.blobs, path, older, MAX_DIFF_BYTES);
    const after = await readText(this.blobs, path, newer, MAX_DIFF_BYTES);
    const diff = unifiedDiff(before, after, { oldLabel: `a${path}@v${from}`, newLabel: `b${path}@v${to}` });
    return { path, from, to, diff };
  }

  private async storeAll(entries: readonly BatchEntry[]): Promise<NewContent[]> {
    const contents: NewContent[] = [];
    for (const entry of entries) {
      const { hash, size } = await this.blobs.put(bytesSource(entry.bytes));
      contents.push({ hash, size, mimeType: mimeTypeFor(entry.path) });
    }
    return contents;
  }
}
