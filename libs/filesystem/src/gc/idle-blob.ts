import type { BlobStore } from '../blob/blob-store';

/**
 * The last step of collecting a blob, run while the caller holds the blob's
 * content_blobs row lock (so a writer's reference upsert waits, then finds the
 * file gone and retries): deletes the file unless a writer touched it within
 * the grace period. Resolves the bytes freed, or null when the blob was kept.
 */
export async function removeIdleBlob(
  blobs: BlobStore,
  hash: string,
  idleSince: Date,
): Promise<number | null> {
  const file = await blobs.stat(hash);
  if (!file) return 0;
  if (file.modifiedAt >= idleSince) return null;
  return (await blobs.delete(hash)) ? file.size : 0;
}

export interface CollectedBlobs {
  deleted: number;
  bytesFreed: number;
  /** Kept because a writer touched the file within the grace period. */
  keptRecentlyTouched: number;
}

export function emptyCollection(): CollectedBlobs {
  return { deleted: 0, bytesFreed: 0, keptRecentlyTouched: 0 };
}

/** Adds one blob's outcome (bytes freed, or null: kept) to the tally. */
export function tally(collected: CollectedBlobs, freed: number | null): void {
  if (freed === null) collected.keptRecentlyTouched += 1;
  else if (freed > 0) {
    collected.deleted += 1;
    collected.bytesFreed += freed;
  }
}
