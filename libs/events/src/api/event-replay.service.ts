import { Injectable } from '@nestjs/common';
import type { Principal } from '@nexus/core';
import { eventCursor } from './event-cursor';
import type { EventFilter } from './event-filter';
import { EventRows } from './event-rows';
import { toEventResponse } from './event-response';
import type { EventResponse } from './event-response';
import { EventVisibility } from './event-visibility.service';

/** How far past `after` one page may read looking for visible events, in positions per `limit`. */
const SCAN_FACTOR = 10n;

export interface EventPage {
  items: EventResponse[];
  nextCursor: string;
  hasMore: boolean;
}

/**
 * Pages of a zone's events the caller may see. A page examines at most
 * SCAN_FACTOR × limit positions, so hidden events cannot make one request read
 * the whole zone; `nextCursor` is the last position examined, so hidden events
 * never make a page repeat or skip (a page may hold fewer than `limit` items).
 */
@Injectable()
export class EventReplay {
  constructor(
    private readonly rows: EventRows,
    private readonly visibility: EventVisibility,
  ) {}

  async page(principal: Principal, after: bigint, filter: EventFilter, limit: number): Promise<EventPage> {
    // The head first: every position up to it has committed, so examining up to it skips nothing.
    const { head, floor } = await this.rows.bounds(principal.zoneId);
    // Positions retention deleted hold nothing to examine: start past them, or a page would find only gaps.
    const from = after > floor ? after : floor;
    const scanEnd = min(head, from + SCAN_FACTOR * BigInt(limit));
    const items: EventResponse[] = [];
    let cursor = from;
    while (cursor < scanEnd && items.length < limit) {
      const batch = await this.rows.read(principal.zoneId, cursor, limit, { until: scanEnd, filter });
      const visible = await this.visibility.visible(principal, batch);
      for (const event of batch) {
        cursor = event.position;
        if (visible.has(event.id)) items.push(toEventResponse(event));
        if (items.length === limit) break;
      }
      // A short batch read everything up to scanEnd that matches the filter.
      if (batch.length < limit && items.length < limit) cursor = scanEnd;
    }
    return { items, nextCursor: eventCursor(cursor > after ? cursor : after), hasMore: cursor < head };
  }
}

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}
