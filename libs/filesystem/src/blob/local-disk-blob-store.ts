import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, readdir, rename, rm, stat, unlink, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { PayloadTooLargeError } from '@nexus/core';
import { blobNotFound } from '../filesystem.errors';
import { assertBlobHash, blobRelativePath, isBlobHash } from './blob-hash';
import type { BlobStore, ByteRange, PutOptions, PutResult, StoredBlob } from './blob-store';
import { resolveRange } from './byte-range';
import { PipelinedFileWriter } from './pipelined-file-writer';
import { prestartSha256Worker, workerSha256 } from './sha256-worker';
import type { BatchHasher } from './sha256-worker';

export interface LocalDiskBlobStoreOptions {
  /** The data directory (NEXUS_DATA_DIR in production); blobs go to `<rootDir>/cas/aa/bb/<sha256>`. */
  rootDir: string;
  /** Largest accepted blob in bytes (NEXUS_MAX_FILE_BYTES). */
  maxBytes: number;
  /** Hashes uploads larger than one write batch (default: the shared hashing thread). */
  createHasher?: () => BatchHasher;
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === 'ENOENT';
}

/**
 * BlobStore on local disk. A put streams through SHA-256 into a temp file in
 * `<rootDir>/cas/tmp`, fsyncs it and renames it into place (atomic on one
 * filesystem); a blob that already exists is kept and the temp file dropped.
 */
export class LocalDiskBlobStore implements BlobStore {
  private readonly tempDir: string;

  constructor(private readonly options: LocalDiskBlobStoreOptions) {
    this.tempDir = join(options.rootDir, 'cas', 'tmp');
    if (!options.createHasher) prestartSha256Worker();
  }

  pathOf(hash: string): string {
    return join(this.options.rootDir, ...blobRelativePath(hash));
  }

  async put(source: AsyncIterable<Uint8Array>, options: PutOptions = {}): Promise<PutResult> {
    const maxBytes = Math.min(this.options.maxBytes, options.maxBytes ?? Number.MAX_SAFE_INTEGER);
    await mkdir(this.tempDir, { recursive: true });
    const tempPath = join(this.tempDir, `${randomUUID()}.part`);
    const file = await open(tempPath, 'wx');
    let closed = false;
    const writer = new PipelinedFileWriter(file, tempPath, this.options.createHasher ?? workerSha256);
    try {
      let size = 0;
      for await (const chunk of source) {
        size += chunk.byteLength;
        if (size > maxBytes) {
          throw new PayloadTooLargeError(`Content exceeds the maximum of ${maxBytes} bytes`, { maxBytes });
        }
        const full = writer.add(chunk);
        if (full) await full;
      }
      const hash = await writer.finish();
      await file.close();
      closed = true;
      const created = await this.moveIntoPlace(tempPath, hash);
      return { hash, size, created };
    } catch (error) {
      await writer.abort();
      throw error;
    } finally {
      if (!closed) await file.close().catch(() => undefined);
      await rm(tempPath, { force: true });
    }
  }

  /** Renames the temp file to the blob path unless the blob is already there; true when it was new. */
  private async moveIntoPlace(tempPath: string, hash: string): Promise<boolean> {
    const target = this.pathOf(hash);
    // Deduplicated onto a stored blob: touching it tells GC it is in use again (GC spares blobs touched within its grace).
    if (await this.touch(target)) return false;
    const directory = join(target, '..');
    await mkdir(directory, { recursive: true });
    // Same content under the same name: a concurrent rename of identical bytes is harmless.
    await rename(tempPath, target);
    await this.syncDirectory(directory);
    return true;
  }

  /** Sets the file's times to now; false when it does not exist. */
  private async touch(path: string): Promise<boolean> {
    const now = new Date();
    try {
      await utimes(path, now, now);
      return true;
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }

  private async syncDirectory(directory: string): Promise<void> {
    const handle = await open(directory, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  async get(hash: string, range?: ByteRange): Promise<Readable> {
    assertBlobHash(hash);
    let file;
    try {
      file = await open(this.pathOf(hash), 'r');
    } catch (error) {
      if (isMissing(error)) throw blobNotFound(hash);
      throw error;
    }
    try {
      if (!range) return file.createReadStream();
      const { size } = await file.stat();
      return file.createReadStream(resolveRange(range, size));
    } catch (error) {
      await file.close();
      throw error;
    }
  }

  localPath(hash: string): string {
    assertBlobHash(hash);
    return this.pathOf(hash);
  }

  async read(hash: string): Promise<Buffer> {
    assertBlobHash(hash);
    try {
      return await readFile(this.pathOf(hash));
    } catch (error) {
      if (isMissing(error)) throw blobNotFound(hash);
      throw error;
    }
  }

  async exists(hash: string): Promise<boolean> {
    return (await this.stat(hash)) !== null;
  }

  async stat(hash: string): Promise<StoredBlob | null> {
    try {
      const info = await stat(this.pathOf(hash));
      return { hash, size: info.size, modifiedAt: info.mtime };
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async delete(hash: string): Promise<boolean> {
    try {
      await unlink(this.pathOf(hash));
      return true;
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }

  /** Walks `cas/aa/bb/<hash>`; skips anything that is not a blob (the temp dir, stray files) and files that vanish meanwhile. */
  async *list(): AsyncIterable<StoredBlob> {
    const casDir = join(this.options.rootDir, 'cas');
    const isShard = (name: string) => /^[0-9a-f]{2}$/.test(name);
    for (const first of (await this.names(casDir)).filter(isShard)) {
      for (const second of (await this.names(join(casDir, first))).filter(isShard)) {
        for (const hash of await this.names(join(casDir, first, second))) {
          if (!isBlobHash(hash) || hash.slice(0, 4) !== first + second) continue;
          const blob = await this.stat(hash);
          if (blob) yield blob;
        }
      }
    }
  }

  private async names(directory: string): Promise<string[]> {
    try {
      return await readdir(directory);
    } catch (error) {
      if (isMissing(error) || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return [];
      throw error;
    }
  }

  /** Removes temp files left by a crash mid-put that are older than `olderThan`; returns how many. */
  async removeStaleTempFiles(olderThan: Date): Promise<number> {
    let removed = 0;
    for (const name of await this.names(this.tempDir)) {
      const path = join(this.tempDir, name);
      const info = await stat(path).catch(() => null);
      if (info && info.mtime < olderThan) {
        await rm(path, { force: true });
        removed += 1;
      }
    }
    return removed;
  }
}
