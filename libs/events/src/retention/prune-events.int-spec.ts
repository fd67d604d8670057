import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { WorkerConfig, composeDomains, defineDomain, loadConfig } from '@nexus/core';
import type { ComposedDomains, DomainEvent } from '@nexus/core';
import { ManualJobClock, RETENTION_BATCH } from '@nexus/jobs';
import type { JobContext } from '@nexus/jobs';
import {
  SYSTEM_EVENT_ZONE,
  TypeOrmOutbox,
  buildDataSourceOptions,
  runMigrationsWithLock,
} from '@nexus/storage-models';
import { createTestDatabase } from '@nexus/storage-models/testing';
import type { TestDatabase } from '@nexus/storage-models/testing';
import { DataSource } from 'typeorm';
import { EVENTS_DOMAIN } from '../events.domain';
import { PruneEventsHandler } from './prune-events.handler';

const NOW = new Date('2030-06-01T00:00:00.000Z');
const DAY_MS = 86_400_000;
const EVENT_TYPE = 'retention_test.happened';

class IgnoringConsumer {}

/** Two consumers of a test domain's events: `a` and `b`. */
const TEST_DOMAIN = defineDomain({
  name: 'retention_test',
  entities: [],
  migrations: [],
  eventTypes: [EVENT_TYPE],
  eventConsumers: ['retention_test.a', 'retention_test.b'].map((name) => ({
    name,
    eventTypes: [EVENT_TYPE],
    handler: IgnoringConsumer,
    summary: 'test consumer',
  })),
});
const WITH_CONSUMERS = composeDomains([EVENTS_DOMAIN, TEST_DOMAIN]);
const NO_CONSUMERS = composeDomains([EVENTS_DOMAIN, { ...TEST_DOMAIN, eventConsumers: [] }]);
const [A, B] = ['retention_test.a', 'retention_test.b'];

describe('events.prune_events (PostgreSQL)', () => {
  let database: TestDatabase;
  let db: DataSource;
  let config: WorkerConfig;

  beforeAll(async () => {
    // The handler logs its summary through Nest's static logger; no app here turns it off.
    Logger.overrideLogger(false);
    database = await createTestDatabase('nexus_events_retention');
    db = new DataSource(
      buildDataSourceOptions({
        url: database.url,
        poolSize: 4,
        poolIdleMs: 1000,
        statementTimeoutMs: 0,
        schema: WITH_CONSUMERS,
      }),
    );
    await db.initialize();
    await runMigrationsWithLock(db, new Logger('test'));
    config = loadConfig(WorkerConfig, { DATABASE_URL: database.url, LOG_LEVEL: 'silent' });
  });

  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  beforeEach(() =>
    db.query('TRUNCATE outbox_events, outbox_zone_positions, event_consumer_positions RESTART IDENTITY'),
  );

  /** Appends `count` events of `zoneId` (null: the system zone) that occurred `ageDays` before NOW. */
  async function append(zoneId: string | null, ageDays: number, count = 1): Promise<void> {
    const occurredAt = new Date(NOW.getTime() - ageDays * DAY_MS).toISOString();
    const events: DomainEvent[] = Array.from({ length: count }, () => ({
      id: randomUUID(),
      type: EVENT_TYPE,
      zoneId,
      aggregateType: 'thing',
      aggregateId: randomUUID(),
      actor: null,
      occurredAt,
      revision: null,
      payload: {},
      causationId: null,
      causationDepth: 0,
      correlationId: null,
    }));
    await db.transaction((manager) => new TypeOrmOutbox(WITH_CONSUMERS).append(manager, events));
  }

  async function passed(consumer: string, zoneId: string | null, position: number): Promise<void> {
    await db.query(
      `INSERT INTO event_consumer_positions (consumer, zone_key, position) VALUES ($1, $2, $3)
       ON CONFLICT (consumer, zone_key) DO UPDATE SET position = EXCLUDED.position`,
      [consumer, zoneId ?? SYSTEM_EVENT_ZONE, position],
    );
  }

  /** The positions left in a zone, in order. */
  async function left(zoneId: string | null): Promise<number[]> {
    const rows = await db.query<Array<{ p: number }>>(
      `SELECT zone_position::int AS p FROM outbox_events WHERE zone_key = $1 ORDER BY zone_position`,
      [zoneId ?? SYSTEM_EVENT_ZONE],
    );
    return rows.map((row) => row.p);
  }

  const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

  function context(signal = new AbortController().signal): JobContext {
    return {
      jobId: 'x',
      zoneId: 'system',
      createdBy: 'system:scheduler',
      attempt: 1,
      maxAttempts: 3,
      signal,
      progress: () => Promise.resolve(),
    };
  }

  function run(domains: ComposedDomains = WITH_CONSUMERS, payload: { olderThanDays?: number } = {}) {
    return new PruneEventsHandler(db, config, domains, new ManualJobClock(NOW)).handle(payload, context());
  }

  it('deletes old events every consumer has passed in their zone, and keeps the rest', async () => {
    const [passedByAll, heldBack, unknownToB] = [randomUUID(), randomUUID(), randomUUID()];
    await append(passedByAll, 8, 10);
    await append(passedByAll, 6, 3); // young: positions 11-13
    await append(heldBack, 30, 10);
    await append(unknownToB, 30, 5);
    await append(null, 8, 3);
    for (const consumer of [A, B]) await passed(consumer, passedByAll, 13);
    await passed(A, heldBack, 10);
    await passed(B, heldBack, 4);
    await passed(A, unknownToB, 5); // b has no row there: it is at 0
    for (const consumer of [A, B]) await passed(consumer, null, 3);

    expect(await run()).toEqual({
      status: 'succeeded',
      result: {
        deleted: 10 + 4 + 3,
        batches: 3,
        ms: expect.any(Number),
        retentionDays: 7,
        cutoff: new Date(NOW.getTime() - 7 * DAY_MS).toISOString(),
      },
    });
    expect(await left(passedByAll)).toEqual([11, 12, 13]);
    expect(await left(heldBack)).toEqual(range(5, 10));
    expect(await left(unknownToB)).toEqual(range(1, 5));
    expect(await left(null)).toEqual([]);
    // A retried job finds nothing more.
    expect(await run()).toMatchObject({ status: 'succeeded', result: { deleted: 0 } });
    expect(await left(heldBack)).toEqual(range(5, 10));
  });

  it('deletes more than a batch worth of a zone, one batch per statement', async () => {
    const zone = randomUUID();
    await append(zone, 10, 2 * RETENTION_BATCH + 5);
    await append(zone, 1, 2);
    const last = 2 * RETENTION_BATCH + 7;
    for (const consumer of [A, B]) await passed(consumer, zone, last);

    expect(await run()).toMatchObject({ result: { deleted: 2 * RETENTION_BATCH + 5, batches: 3 } });
    expect(await left(zone)).toEqual([last - 1, last]);
  });

  it('leaves the zone and consumer positions alone, so new events continue after the last one', async () => {
    const zone = randomUUID();
    await append(zone, 20, 4);
    for (const consumer of [A, B]) await passed(consumer, zone, 4);
    const positions = async () => ({
      zone: await db.query(`SELECT zone_key, position FROM outbox_zone_positions`),
      consumers: await db.query(
        `SELECT consumer, zone_key, position FROM event_consumer_positions ORDER BY 1`,
      ),
    });
    const before = await positions();

    expect(await run()).toMatchObject({ result: { deleted: 4 } });
    expect(await left(zone)).toEqual([]);
    expect(await positions()).toEqual(before);
    await append(zone, 0, 2);
    expect(await left(zone)).toEqual([5, 6]);
  });

  it('with no consumer registered deletes by age alone (nobody waits for an event)', async () => {
    const zone = randomUUID();
    await append(zone, 8, 3);
    await append(null, 9, 2);
    await append(zone, 1, 1);
    await passed(A, zone, 1); // a consumer no mounted domain registers any more does not hold events back

    expect(await run(NO_CONSUMERS)).toMatchObject({ status: 'succeeded', result: { deleted: 5 } });
    expect(await left(zone)).toEqual([4]);
    expect(await left(null)).toEqual([]);
  });

  it('takes the retention from the payload, and deletes nothing with 0 days in the config', async () => {
    const zone = randomUUID();
    await append(zone, 3, 2);
    for (const consumer of [A, B]) await passed(consumer, zone, 2);
    expect(await run()).toMatchObject({ result: { deleted: 0 } });
    const keepAll = loadConfig(WorkerConfig, { DATABASE_URL: database.url, NEXUS_EVENT_RETENTION_DAYS: '0' });
    const handler = new PruneEventsHandler(db, keepAll, WITH_CONSUMERS, new ManualJobClock(NOW));
    expect(await handler.handle({}, context())).toEqual({
      status: 'succeeded',
      result: { deleted: 0, retentionDays: 0 },
    });
    expect(await left(zone)).toEqual([1, 2]);
    expect(await run(WITH_CONSUMERS, { olderThanDays: 2 })).toMatchObject({
      result: { deleted: 2, retentionDays: 2 },
    });
  });

  it('stops when aborted, reporting what it deleted', async () => {
    const zone = randomUUID();
    await append(zone, 30, 2);
    for (const consumer of [A, B]) await passed(consumer, zone, 2);
    const controller = new AbortController();
    controller.abort();
    const handler = new PruneEventsHandler(db, config, WITH_CONSUMERS, new ManualJobClock(NOW));
    expect(await handler.handle({}, context(controller.signal))).toEqual({
      status: 'failed',
      error: 'aborted after deleting 0 events',
    });
    expect(await left(zone)).toEqual([1, 2]);
  });
});
