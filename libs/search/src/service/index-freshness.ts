import { Injectable } from '@nestjs/common';
import { ServiceUnavailableError } from '@nexus/core';
import { MetadataCache } from '@nexus/filesystem';
import { DataSource } from 'typeorm';

/** The consumer whose position says how fresh the index is. */
export const SEARCH_INDEX_CONSUMER = 'search.index';
/** How long a read with `minRevision` waits for the index before answering 503. */
const MAX_WAIT_MS = 5_000;
const POLL_MS = 25;

export interface IndexLag {
  /** The zone's last event position. */
  head: number;
  /** The last event the index has taken in. */
  indexed: number;
  /** Events not yet in the index. */
  behind: number;
  /** When the oldest event not yet in the index happened (null when none is pending). */
  oldestPendingAt: string | null;
}

/**
 * How far the index is behind the zone's events, and the wait behind
 * `?minRevision=`. A revision is handed out after its transaction committed,
 * so once the zone has reached it every event of it has a position no later
 * than the zone's head read now: the index is fresh enough when its consumer
 * has passed that head.
 */
@Injectable()
export class IndexFreshness {
  constructor(
    private readonly db: DataSource,
    private readonly cache: MetadataCache,
  ) {}

  async lag(zoneId: string): Promise<IndexLag> {
    const [row] = await this.db.query<Array<{ head: string; indexed: string; oldest: Date | null }>>(
      `SELECT COALESCE(z.position, 0) AS head, COALESCE(p.position, 0) AS indexed,
              (SELECT e.occurred_at FROM outbox_events e
                WHERE e.zone_key = $1 AND e.zone_position = COALESCE(p.position, 0) + 1) AS oldest
         FROM (SELECT 1) AS one
         LEFT JOIN outbox_zone_positions z ON z.zone_key = $1
         LEFT JOIN event_consumer_positions p ON p.consumer = $2 AND p.zone_key = $1`,
      [zoneId, SEARCH_INDEX_CONSUMER],
    );
    const head = Number(row?.head ?? 0);
    const indexed = Math.min(head, Number(row?.indexed ?? 0));
    return {
      head,
      indexed,
      behind: head - indexed,
      oldestPendingAt: head > indexed && row?.oldest ? new Date(row.oldest).toISOString() : null,
    };
  }

  /** Resolves once the index holds every change up to `minRevision`; 503 + Retry-After after 5 s. */
  async await(zoneId: string, minRevision: bigint | undefined): Promise<void> {
    if (minRevision === undefined || minRevision === 0n) return;
    const deadline = Date.now() + MAX_WAIT_MS;
    let target: number | null = null;
    for (;;) {
      if (target === null && (await this.cache.revision(zoneId)) >= minRevision)
        target = (await this.lag(zoneId)).head;
      if (target !== null && (await this.lag(zoneId)).indexed >= target) return;
      if (Date.now() >= deadline)
        throw new ServiceUnavailableError(
          `the search index has not reached revision ${minRevision} yet`,
          { minRevision: minRevision.toString(), retryAfterSeconds: 1 },
          'INDEX_NOT_FRESH',
        );
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
}
