import type { DataSource } from 'typeorm';
import type { BlobStore, StoredBlob } from '../blob/blob-store';
import type { CollectedBlobs } from './idle-blob';
import { emptyCollection, removeIdleBlob, tally } from './idle-blob';

const BATCH = 500;

/**
 * GC of blob files no content_blobs row knows (a crash between the upload and
 * the commit leaves one): walks the store and deletes such files untouched for
 * longer than the grace period, checking rows in batches.
 */
export async function collectOrphanBlobs(
  db: DataSource,
  blobs: BlobStore,
  graceSeconds: number,
  signal: AbortSignal,
): Promise<CollectedBlobs> {
  const collected = emptyCollection();
  const idleSince = new Date(Date.now() - graceSeconds * 1000);
  let batch: StoredBlob[] = [];
  const flush = async () => {
    for (const hash of await withoutRow(db, batch)) {
      signal.throwIfAborted();
      tally(collected, await collectOne(db, blobs, hash, idleSince));
    }
    batch = [];
  };
  for await (const blob of blobs.list()) {
    signal.throwIfAborted();
    if (blob.modifiedAt >= idleSince) continue;
    batch.push(blob);
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  return collected;
}

async function withoutRow(db: DataSource, batch: readonly StoredBlob[]): Promise<string[]> {
  if (batch.length === 0) return [];
  const rows = await db.query<Array<{ hash: string }>>(
    `SELECT hash FROM content_blobs WHERE hash = ANY($1::bpchar[])`,
    [batch.map((blob) => blob.hash)],
  );
  const known = new Set(rows.map((row) => row.hash));
  return batch.map((blob) => blob.hash).filter((hash) => !known.has(hash));
}

/**
 * Claims the hash by inserting its row in our transaction: a writer's reference
 * upsert of the same hash now waits for us (and then finds the file gone and
 * retries), exactly as with a locked existing row. A row that appeared since
 * the batch check means the blob is in use. The claim row is removed again.
 */
async function collectOne(
  db: DataSource,
  blobs: BlobStore,
  hash: string,
  idleSince: Date,
): Promise<number | null> {
  return db.transaction(async (manager) => {
    const claimed = await manager.query<unknown[]>(
      `INSERT INTO content_blobs (hash, size, ref_count, unreferenced_since) VALUES ($1, 0, 0, now())
       ON CONFLICT (hash) DO NOTHING RETURNING hash`,
      [hash],
    );
    if (claimed.length === 0) return 0;
    const freed = await removeIdleBlob(blobs, hash, idleSince);
    await manager.query(`DELETE FROM content_blobs WHERE hash = $1`, [hash]);
    return freed;
  });
}
