import type { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import { ValidationError } from '@nexus/core';
import type { Principal } from '@nexus/core';
import { DataSource } from 'typeorm';
import type { BlobStore, ByteRange } from '../blob/blob-store';
import { resolveRange } from '../blob/byte-range';
import { FileVersion } from '../entities/file-version.entity';
import { isADirectory, versionNotFound } from '../filesystem.errors';
import { BLOB_STORE } from '../filesystem.tokens';
import type { FileStat, ReadOptions } from '../fs.types';
import { etagFor } from './etag';
import { FsReader } from './fs-reader.service';

export interface OpenOptions extends ReadOptions {
  /** A past version (default: the current one). */
  version?: number;
  range?: ByteRange;
}

export interface OpenedFile {
  /** The file's metadata, as of the version read. */
  stat: FileStat;
  /** The bytes (the range's, when one was asked). */
  body: Readable;
  /** Inclusive byte positions served, when a range was asked. */
  range: { start: number; end: number } | null;
}

/** Reads file content (whole, a byte range, or a past version) after the viewer check. */
@Injectable()
export class FileReader {
  constructor(
    private readonly dataSource: DataSource,
    private readonly reader: FsReader,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
  ) {}

  /** The metadata a read would serve, without opening the content (HEAD, If-None-Match). */
  async describe(principal: Principal, path: string, options: OpenOptions = {}): Promise<FileStat> {
    const stat = await this.reader.stat(principal, path, options);
    if (stat.kind === 'dir') throw isADirectory(stat.path);
    if (options.version === undefined || options.version === stat.version) return stat;
    if (!Number.isInteger(options.version) || options.version < 1)
      throw new ValidationError('version must be a positive integer');
    const past = await this.dataSource.manager.findOne(FileVersion, {
      where: { zoneId: principal.zoneId, pathId: stat.id!, version: options.version },
    });
    if (!past) throw versionNotFound(stat.path, options.version);
    return {
      ...stat,
      version: past.version,
      size: Number(past.size),
      contentHash: past.contentHash,
      mimeType: past.mimeType,
      etag: etagFor(past.version, past.contentHash),
      updatedAt: past.createdAt.toISOString(),
    };
  }

  async open(principal: Principal, path: string, options: OpenOptions = {}): Promise<OpenedFile> {
    const stat = await this.describe(principal, path, options);
    const range = options.range ? resolveRange(options.range, stat.size) : null;
    const body = await this.blobs.get(stat.contentHash!, range ?? undefined);
    return { stat, body, range };
  }
}
