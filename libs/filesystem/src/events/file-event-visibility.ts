import { Injectable } from '@nestjs/common';
import { isUuid } from '@nexus/core';
import type { DomainEvent, EventVisibilityFilter, Principal } from '@nexus/core';
import { DataSource } from 'typeorm';
import { FsAccess } from '../access/fs-access';
import { isRoot, parentPath } from '../path/zone-path';

/** The event's path's ancestors, nearest first, without `/` (listing `/` shows only readable entries). */
function ancestorsOf(event: DomainEvent): string[] {
  const path = event.payload['path'];
  const ancestors: string[] = [];
  for (
    let dir = typeof path === 'string' ? parentPath(path) : null;
    dir && !isRoot(dir);
    dir = parentPath(dir)
  )
    ancestors.push(dir);
  return ancestors;
}

/**
 * Who may see a file event: whoever may read the entry now (viewer on
 * `file:<id>`). An entry that no longer exists took its permission tuples with
 * it, so its events (its deletion among them) go to whoever may read the
 * nearest directory above the event's path that still exists. One query for
 * what still exists and one batched permission evaluation per call.
 */
@Injectable()
export class FileEventVisibility implements EventVisibilityFilter {
  constructor(
    private readonly access: FsAccess,
    private readonly dataSource: DataSource,
  ) {}

  async visible(principal: Principal, events: readonly DomainEvent[]): Promise<Set<string>> {
    if (this.access.isZoneAdmin(principal)) return new Set(events.map((event) => event.id));
    const entryIds = [...new Set(events.map((event) => event.aggregateId).filter(isUuid))];
    const ancestors = [...new Set(events.flatMap(ancestorsOf))];
    const live = await this.dataSource.query<Array<{ id: string; path: string }>>(
      `SELECT id, path FROM file_paths
        WHERE zone_id = $1 AND deleted_at IS NULL AND (id = ANY($2::uuid[]) OR path = ANY($3::text[]))`,
      [principal.zoneId, entryIds, ancestors],
    );
    const liveIds = new Set(live.map((row) => row.id));
    const dirIds = new Map(live.map((row) => [row.path, row.id]));
    // Gone entries are judged by their nearest surviving directory.
    const judgedBy = new Map<string, string>();
    for (const event of events) {
      if (liveIds.has(event.aggregateId)) judgedBy.set(event.id, event.aggregateId);
      const dir = ancestorsOf(event).find((path) => dirIds.has(path));
      if (!liveIds.has(event.aggregateId) && dir) judgedBy.set(event.id, dirIds.get(dir)!);
    }
    const readable = await this.access.readable(principal, [...new Set(judgedBy.values())]);
    return new Set(
      events.filter((event) => readable.has(judgedBy.get(event.id) ?? '')).map((event) => event.id),
    );
  }
}
