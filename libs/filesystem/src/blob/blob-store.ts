import type { Readable } from 'node:stream';

/** A stored blob: its SHA-256 (lower-case hex) and size in bytes. */
export interface BlobRef {
  hash: string;
  size: number;
}

/** A blob as the store holds it; `modifiedAt` is when it was last written or deduplicated onto (GC's grace clock). */
export interface StoredBlob extends BlobRef {
  modifiedAt: Date;
}

export interface PutResult extends BlobRef {
  /** False when identical content was already stored (nothing new was written). */
  created: boolean;
}

/** Inclusive byte range, as in HTTP `Range: bytes=start-end`; `end` defaults to the last byte. */
export interface ByteRange {
  start: number;
  end?: number;
}

export interface PutOptions {
  /** Lower limit than the store's own `maxBytes` for this one put. */
  maxBytes?: number;
}

/**
 * Content-addressed blob storage. Content is streamed (never held whole in
 * memory), addressed by its SHA-256 and stored once however often it is put.
 * Reference counting lives in the metadata layer, not here.
 */
export interface BlobStore {
  /**
   * Streams `source` to storage; throws PayloadTooLargeError past the size limit, leaving nothing behind.
   * Putting content that is already stored refreshes its `modifiedAt`.
   */
  put(source: AsyncIterable<Uint8Array>, options?: PutOptions): Promise<PutResult>;
  /** Streams a blob or a byte range of it; throws NotFoundError(BLOB_NOT_FOUND) or ValidationError(INVALID_RANGE). */
  get(hash: string, range?: ByteRange): Promise<Readable>;
  /** Where the blob lives on this machine's disk, for readers on other threads (grep's); stores that keep blobs elsewhere omit it. */
  localPath?(hash: string): string;
  /** The whole blob in memory (search's indexer and grep read small files whole); throws NotFoundError(BLOB_NOT_FOUND). */
  read(hash: string): Promise<Buffer>;
  exists(hash: string): Promise<boolean>;
  /** The blob's size and last write, or null when it is not stored. */
  stat(hash: string): Promise<StoredBlob | null>;
  /** Every stored blob, in no particular order (GC's scan for blobs no row knows). */
  list(): AsyncIterable<StoredBlob>;
  /** Removes leftovers of interrupted puts older than `olderThan`; returns how many (stores that leave none omit it). */
  removeStaleTempFiles?(olderThan: Date): Promise<number>;
  /** Removes a blob; false when it was not stored. */
  delete(hash: string): Promise<boolean>;
}
