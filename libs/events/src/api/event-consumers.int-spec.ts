import { randomUUID } from 'node:crypto';
import { composeDomains, defineDomain, defineEventConsumer } from '@nexus/core';
import { buildDataSourceOptions } from '@nexus/storage-models';
import { createTestDatabase } from '@nexus/storage-models/testing';
import type { TestDatabase } from '@nexus/storage-models/testing';
import { DataSource } from 'typeorm';
import { EventConsumerPositions } from '../relay/consumer-lag';
import { EVENTS_MIGRATIONS } from '../migrations';
import { EventConsumersView } from './event-consumers.service';

const WIDGETS = defineDomain({
  name: 'widgets',
  entities: [],
  migrations: [],
  eventTypes: ['widget_made'],
  eventConsumers: [
    defineEventConsumer({
      name: 'widgets.index',
      eventTypes: ['widget_made'],
      handler: class Indexer {},
      summary: 'indexes widgets',
    }),
    defineEventConsumer({
      name: 'widgets.idle',
      eventTypes: ['widget_made'],
      handler: class Idle {},
      summary: 'never ran',
    }),
  ],
});

describe('EventConsumersView on PostgreSQL: consumers with position and lag in one zone', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  const zoneId = randomUUID();
  const otherZone = randomUUID();

  beforeAll(async () => {
    database = await createTestDatabase('nexus_event_consumers');
    dataSource = new DataSource(
      buildDataSourceOptions({
        url: database.url,
        poolSize: 2,
        poolIdleMs: 1_000,
        statementTimeoutMs: 10_000,
        schema: { entities: [], migrations: EVENTS_MIGRATIONS },
      }),
    );
    await dataSource.initialize();
    await dataSource.runMigrations();
  });

  afterAll(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    await database?.drop();
  });

  async function events(zone: string, count: number, ageSeconds: number): Promise<void> {
    for (let position = 1; position <= count; position += 1)
      await dataSource.query(
        `INSERT INTO outbox_events (zone_key, zone_position, event_id, type, zone_id, aggregate_type, aggregate_id,
           occurred_at, payload) VALUES ($1, $2, $3, 'widget_made', $1, 'widget', 'w', now() - make_interval(secs => $4), '{}')`,
        [zone, position, randomUUID(), ageSeconds - position],
      );
    await dataSource.query('INSERT INTO outbox_zone_positions (zone_key, position) VALUES ($1, $2)', [
      zone,
      count,
    ]);
  }

  it('reports each registered consumer in the caller’s zone: position, events behind, oldest pending age', async () => {
    await events(zoneId, 5, 100);
    await events(otherZone, 9, 1_000);
    await dataSource.query(
      `INSERT INTO event_consumer_positions (consumer, zone_key, position, failures, last_error, retry_at)
       VALUES ('widgets.index', $1, 2, 1, 'boom', now() + interval '1 minute')`,
      [zoneId],
    );
    const view = new EventConsumersView(composeDomains([WIDGETS]), new EventConsumerPositions(dataSource));

    const { items } = await view.list(zoneId);

    expect(items).toEqual([
      {
        name: 'widgets.index',
        domain: 'widgets',
        eventTypes: ['widget_made'],
        summary: 'indexes widgets',
        position: '2',
        lag: 3,
        lagSeconds: expect.any(Number),
        failures: 1,
        lastError: 'boom',
        retryAt: expect.any(String),
      },
      expect.objectContaining({ name: 'widgets.idle', position: '0', lag: 5, failures: 0, retryAt: null }),
    ]);
    // The oldest pending event of the zone is position 3, written 97 s ago; the other zone's older ones do not count.
    expect(items[0]!.lagSeconds).toBeGreaterThanOrEqual(96);
    expect(items[0]!.lagSeconds).toBeLessThan(200);
    expect(items[1]!.lagSeconds).toBeGreaterThanOrEqual(98);
    expect(items[1]!.lagSeconds).toBeLessThan(200);
  });

  it('shows every consumer caught up in a zone without events', async () => {
    const view = new EventConsumersView(composeDomains([WIDGETS]), new EventConsumerPositions(dataSource));
    const { items } = await view.list(randomUUID());
    expect(items.map((item) => [item.name, item.position, item.lag, item.lagSeconds])).toEqual([
      ['widgets.index', '0', 0, 0],
      ['widgets.idle', '0', 0, 0],
    ]);
  });
});
