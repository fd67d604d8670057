import type { DataSource } from 'typeorm';
import type { BlobStore } from '../blob/blob-store';
import type { CollectedBlobs } from './idle-blob';
import { emptyCollection, removeIdleBlob, tally } from './idle-blob';

const PAGE = 500;

/**
 * GC of blobs whose reference count has been 0 for longer than the grace
 * period. Each blob is collected in its own short transaction that locks its
 * row (SKIP LOCKED: a writer or another GC holding it wins, we move on),
 * re-checks the row under the lock, deletes the file and then the row.
 */
export async function collectUnreferencedBlobs(
  db: DataSource,
  blobs: BlobStore,
  graceSeconds: number,
  signal: AbortSignal,
): Promise<CollectedBlobs> {
  const collected = emptyCollection();
  let after = '';
  for (;;) {
    signal.throwIfAborted();
    const page = await db.query<Array<{ hash: string }>>(
      `SELECT hash FROM content_blobs
       WHERE ref_count = 0 AND unreferenced_since < now() - make_interval(secs => $1) AND hash > $2
       ORDER BY hash LIMIT $3`,
      [graceSeconds, after, PAGE],
    );
    for (const { hash } of page) {
      signal.throwIfAborted();
      tally(collected, await collectOne(db, blobs, hash, graceSeconds));
    }
    if (page.length < PAGE) return collected;
    after = page[page.length - 1]!.hash;
  }
}

async function collectOne(
  db: DataSource,
  blobs: BlobStore,
  hash: string,
  graceSeconds: number,
): Promise<number | null> {
  return db.transaction(async (manager) => {
    const locked = await manager.query<unknown[]>(
      `SELECT 1 FROM content_blobs
       WHERE hash = $1 AND ref_count = 0 AND unreferenced_since < now() - make_interval(secs => $2)
       FOR UPDATE SKIP LOCKED`,
      [hash, graceSeconds],
    );
    // Referenced again, collected by another GC, or locked by a writer right now.
    if (locked.length === 0) return 0;
    const freed = await removeIdleBlob(blobs, hash, new Date(Date.now() - graceSeconds * 1000));
    if (freed !== null) await manager.query(`DELETE FROM content_blobs WHERE hash = $1`, [hash]);
    return freed;
  });
}
