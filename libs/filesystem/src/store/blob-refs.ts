import type { EntityManager } from 'typeorm';

/** How many references to add to or drop from each blob. */
export type RefDelta = Map<string, { size: number; count: number }>;

export function addRef(delta: RefDelta, hash: string, size: number, count = 1): void {
  const current = delta.get(hash);
  delta.set(hash, { size, count: (current?.count ?? 0) + count });
}

/**
 * Reference counts of content_blobs, changed in the mutation's transaction.
 * A blob's count is the number of file versions pointing at it; when it drops
 * to 0 `unreferenced_since` starts the GC grace period.
 */
export class BlobRefs {
  static async apply(manager: EntityManager, delta: RefDelta): Promise<void> {
    const sorted = [...delta.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const added = sorted.filter(([, change]) => change.count > 0);
    const dropped = sorted.filter(([, change]) => change.count < 0);
    if (added.length > 0) {
      await manager.query(
        `INSERT INTO content_blobs (hash, size, ref_count)
         SELECT * FROM unnest($1::text[], $2::bigint[], $3::int[])
         ON CONFLICT (hash) DO UPDATE
           SET ref_count = content_blobs.ref_count + excluded.ref_count, unreferenced_since = NULL`,
        [added.map(([hash]) => hash), added.map(([, c]) => c.size), added.map(([, c]) => c.count)],
      );
    }
    if (dropped.length > 0) {
      await manager.query(
        `UPDATE content_blobs AS c
           SET ref_count = greatest(c.ref_count - u.n, 0),
               unreferenced_since = CASE WHEN c.ref_count - u.n <= 0 THEN now() ELSE c.unreferenced_since END
         FROM unnest($1::text[], $2::int[]) AS u(hash, n)
         WHERE c.hash = u.hash`,
        [dropped.map(([hash]) => hash), dropped.map(([, c]) => -c.count)],
      );
    }
  }
}
