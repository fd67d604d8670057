import { randomUUID } from 'node:crypto';
import type { ModuleRef } from '@nestjs/core';
import { composeDomains } from '@nexus/core';
import type { Principal } from '@nexus/core';
import { buildDataSourceOptions } from '@nexus/storage-models';
import { createTestDatabase } from '@nexus/storage-models/testing';
import type { TestDatabase } from '@nexus/storage-models/testing';
import { DataSource } from 'typeorm';
import type { EventFilter } from './event-filter';
import { matchesFilter, parseEventFilter } from './event-filter';
import { positionOf } from './event-cursor';
import { EventReplay } from './event-replay.service';
import { EventRows } from './event-rows';
import { EventVisibility } from './event-visibility.service';

const TYPES = new Map([
  ['file_write', 'filesystem'],
  ['file_rename', 'filesystem'],
]);

/** Payloads at the edges of prefix matching: siblings sharing a prefix, moves in and out, no path. */
const PAYLOADS: Array<Record<string, unknown>> = [
  { path: '/a' },
  { path: '/a/b.txt' },
  { path: '/ab' },
  { path: '/ab/c' },
  { path: '/a_' },
  { path: '/a%' },
  { path: '/x/y', from: '/a/b' },
  { path: '/a/z', from: '/elsewhere' },
  { path: '/x', from: '/abc' },
  { name: 'no path at all' },
  { path: 7 },
];

describe('EventRows on PostgreSQL: the replay’s SQL filter agrees with the stream’s in-memory one', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let rows: EventRows;
  const zoneId = randomUUID();

  beforeAll(async () => {
    database = await createTestDatabase('nexus_event_rows');
    dataSource = new DataSource(
      buildDataSourceOptions({
        url: database.url,
        poolSize: 2,
        poolIdleMs: 1_000,
        statementTimeoutMs: 10_000,
      }),
    );
    await dataSource.initialize();
    await dataSource.runMigrations();
    rows = new EventRows(dataSource);
    // Straight into the table: positions 1..n of one zone, alternating types.
    for (const [index, payload] of PAYLOADS.entries()) {
      await dataSource.query(
        `INSERT INTO outbox_events (zone_key, zone_position, event_id, type, zone_id, aggregate_type, aggregate_id,
           occurred_at, payload) VALUES ($1, $2, $3, $4, $1, 'file', $5, now(), $6)`,
        [zoneId, index + 1, randomUUID(), index % 2 ? 'file_rename' : 'file_write', randomUUID(), payload],
      );
    }
    await dataSource.query('INSERT INTO outbox_zone_positions (zone_key, position) VALUES ($1, $2)', [
      zoneId,
      PAYLOADS.length,
    ]);
  });

  afterAll(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    await database?.drop();
  });

  it.each([
    ['/a', undefined],
    ['/a/', undefined],
    ['/ab', undefined],
    ['/a_', undefined],
    ['/', undefined],
    ['/a', 'file_rename'],
    [undefined, 'file_write,file_rename'],
  ])('path %p, types %p', async (path, types) => {
    const filter: EventFilter = parseEventFilter(types, path, TYPES);
    const all = await rows.read(zoneId, 0n, 100);
    const inSql = await rows.read(zoneId, 0n, 100, { filter });
    expect(inSql.map((event) => event.position)).toEqual(
      all.filter((event) => matchesFilter(filter, event)).map((event) => event.position),
    );
  });

  it('matches by whole segments, in path and a move’s source', async () => {
    const filter = parseEventFilter(undefined, '/a', TYPES);
    const paths = (await rows.read(zoneId, 0n, 100, { filter })).map((event) => event.payload['path']);
    expect(paths).toEqual(['/a', '/a/b.txt', '/x/y', '/a/z']);
  });

  it('reads after a position, up to a bound, at most a limit; the head is the last committed position', async () => {
    expect(await rows.head(zoneId)).toBe(BigInt(PAYLOADS.length));
    expect(await rows.head(randomUUID())).toBe(0n);
    expect(await rows.bounds(zoneId)).toEqual({ head: BigInt(PAYLOADS.length), floor: 0n });
    expect(await rows.bounds(randomUUID())).toEqual({ head: 0n, floor: 0n });
    const window = await rows.read(zoneId, 2n, 3, { until: 4n });
    expect(window.map((event) => event.position)).toEqual([3n, 4n]);
    expect((await rows.read(zoneId, 0n, 2)).map((event) => event.position)).toEqual([1n, 2n]);
  });

  it('refuses unknown types and relative paths', () => {
    expect(() => parseEventFilter('file_write,nope', undefined, TYPES)).toThrow(/nope/);
    expect(() => parseEventFilter(',', undefined, TYPES)).toThrow(/types/);
    expect(() => parseEventFilter(undefined, 'a/b', TYPES)).toThrow(/absolute/);
  });

  it('replays from before the oldest stored event (retention deleted the rest) without pages of gaps', async () => {
    const pruned = randomUUID();
    for (let position = 1001; position <= 1010; position += 1)
      await dataSource.query(
        `INSERT INTO outbox_events (zone_key, zone_position, event_id, type, zone_id, aggregate_type, aggregate_id,
           occurred_at, payload) VALUES ($1, $2, $3, 'file_write', $1, 'file', 'f', now(), '{}')`,
        [pruned, position, randomUUID()],
      );
    await dataSource.query('INSERT INTO outbox_zone_positions (zone_key, position) VALUES ($1, 1010)', [
      pruned,
    ]);
    const visibility = new EventVisibility(composeDomains([]), {} as ModuleRef);
    const admin: Principal = {
      subjectType: 'agent',
      subjectId: 'a',
      zoneId: pruned,
      role: 'admin',
      superuser: false,
      keyId: null,
    };
    const replay = new EventReplay(rows, visibility);
    const everything = parseEventFilter(undefined, undefined, TYPES);
    const first = await replay.page(admin, 0n, everything, 5);
    expect(first).toMatchObject({ hasMore: true });
    expect(first.items).toHaveLength(5);
    expect(positionOf('after', first.nextCursor)).toBe(1005n);
    const second = await replay.page(admin, positionOf('after', first.nextCursor), everything, 5);
    expect(second.items).toHaveLength(5);
    expect(second.hasMore).toBe(false);
  });
});
