import { randomUUID } from 'node:crypto';
import { composeDomains, createDomainEvent, defineDomain } from '@nexus/core';
import type { DomainEvent } from '@nexus/core';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../database/data-source-options';
import { createTestDatabase } from '../testing';
import type { TestDatabase } from '../testing';
import { OutboxEvent } from './outbox-event.entity';
import { SYSTEM_EVENT_ZONE } from './outbox-zone-position.entity';
import { TypeOrmOutbox } from './typeorm-outbox';

/** A domain that declares the event types these tests write. */
const WIDGETS_DOMAIN = defineDomain({
  name: 'widgets',
  entities: [],
  migrations: [],
  eventTypes: ['widget_created', 'widget_renamed'],
});

interface OutboxRow {
  sequence: string;
  event_id: string;
  type: string;
  zone_id: string | null;
  aggregate_type: string;
  aggregate_id: string;
  actor_type: string | null;
  actor_id: string | null;
  occurred_at: Date;
  revision: string | null;
  payload: Record<string, unknown>;
  causation_id: string | null;
  correlation_id: string | null;
  causation_depth: number;
  zone_key: string;
  zone_position: string;
}

function widgetEvent(overrides: Partial<DomainEvent> = {}): DomainEvent {
  return {
    ...createDomainEvent({
      type: 'widget_created',
      zoneId: randomUUID(),
      aggregateType: 'widget',
      aggregateId: randomUUID(),
      actor: { type: 'user', id: 'alice' },
      revision: '1',
      payload: { name: 'w' },
      causationId: null,
      correlationId: null,
    }),
    ...overrides,
  };
}

describe('TypeOrmOutbox on PostgreSQL', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  const outbox = new TypeOrmOutbox(composeDomains([WIDGETS_DOMAIN]));

  beforeAll(async () => {
    database = await createTestDatabase('nexus_outbox');
    dataSource = new DataSource(
      buildDataSourceOptions({
        url: database.url,
        poolSize: 4,
        poolIdleMs: 1_000,
        statementTimeoutMs: 10_000,
      }),
    );
    await dataSource.initialize();
    await dataSource.runMigrations();
  });

  afterAll(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    await database?.drop();
  });

  beforeEach(async () => {
    await dataSource.query('TRUNCATE outbox_events, outbox_zone_positions');
  });

  /** The rows as PostgreSQL stores them, in append order, read without the entity layer. */
  async function rows(): Promise<OutboxRow[]> {
    return dataSource.query<OutboxRow[]>('SELECT * FROM outbox_events ORDER BY sequence');
  }

  it('writes the events of a transaction in the given order, every field in its column', async () => {
    const zoneId = randomUUID();
    const first = widgetEvent({
      zoneId,
      aggregateId: 'widget-1',
      actor: { type: 'agent', id: 'bot-7' },
      occurredAt: '2030-05-06T07:08:09.123Z',
      revision: '42',
      payload: { name: 'first', nested: { tags: ['a', 'b'], size: 3 } },
      causationId: randomUUID(),
      correlationId: 'req-123',
    });
    // A system event: no zone, no actor, no revision, no causation.
    const second = widgetEvent({
      type: 'widget_renamed',
      zoneId: null,
      aggregateId: 'widget-2',
      actor: null,
      revision: null,
      payload: {},
      causationId: null,
      correlationId: null,
    });
    const third = widgetEvent({ zoneId, aggregateId: 'widget-3' });

    await dataSource.transaction((manager) => outbox.append(manager, [first, second, third]));

    const stored = await rows();
    expect(stored.map((row) => row.event_id)).toEqual([first.id, second.id, third.id]);
    expect(BigInt(stored[0]!.sequence) < BigInt(stored[1]!.sequence)).toBe(true);
    expect(BigInt(stored[1]!.sequence) < BigInt(stored[2]!.sequence)).toBe(true);
    expect(stored[0]).toEqual({
      sequence: expect.any(String),
      event_id: first.id,
      type: 'widget_created',
      zone_id: zoneId,
      aggregate_type: 'widget',
      aggregate_id: 'widget-1',
      actor_type: 'agent',
      actor_id: 'bot-7',
      occurred_at: new Date('2030-05-06T07:08:09.123Z'),
      revision: '42',
      payload: { name: 'first', nested: { tags: ['a', 'b'], size: 3 } },
      causation_id: first.causationId,
      causation_depth: 0,
      correlation_id: 'req-123',
      zone_key: zoneId,
      zone_position: '1',
    });
    expect(stored[1]).toEqual({
      sequence: expect.any(String),
      event_id: second.id,
      type: 'widget_renamed',
      zone_id: null,
      aggregate_type: 'widget',
      aggregate_id: 'widget-2',
      actor_type: null,
      actor_id: null,
      occurred_at: new Date(second.occurredAt),
      revision: null,
      payload: {},
      causation_id: null,
      causation_depth: 0,
      correlation_id: null,
      zone_key: SYSTEM_EVENT_ZONE,
      zone_position: expect.any(String),
    });
    // Positions count per zone: the zone's second event is its position 2.
    expect(stored[2]).toMatchObject({ zone_key: zoneId, zone_position: '2' });

    // The entity reads the same rows back.
    const entities = await dataSource.getRepository(OutboxEvent).find({ order: { sequence: 'ASC' } });
    expect(entities.map((entity) => [entity.eventId, entity.aggregateId])).toEqual([
      [first.id, 'widget-1'],
      [second.id, 'widget-2'],
      [third.id, 'widget-3'],
    ]);
  });

  it('leaves no row when the transaction rolls back', async () => {
    await expect(
      dataSource.transaction(async (manager) => {
        await outbox.append(manager, [widgetEvent(), widgetEvent()]);
        throw new Error('the change failed after its events were appended');
      }),
    ).rejects.toThrow(/the change failed/);
    expect(await rows()).toEqual([]);
    // The positions it took went back with it: the next append starts at 1 again.
    const zoneId = randomUUID();
    await dataSource.transaction((manager) => outbox.append(manager, [widgetEvent({ zoneId })]));
    const failedZone = randomUUID();
    await expect(
      dataSource.transaction(async (manager) => {
        await outbox.append(manager, [widgetEvent({ zoneId: failedZone })]);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow(/rolled back/);
    await dataSource.transaction((manager) =>
      outbox.append(manager, [widgetEvent({ zoneId }), widgetEvent({ zoneId: failedZone })]),
    );
    expect((await rows()).map((row) => [row.zone_key, row.zone_position])).toEqual([
      [zoneId, '1'],
      [zoneId, '2'],
      [failedZone, '1'],
    ]);
  });

  it('numbers a zone in commit order: a transaction that appended first but commits last gets the later positions', async () => {
    const zoneId = randomUUID();
    const slow = dataSource.createQueryRunner();
    const fast = dataSource.createQueryRunner();
    await slow.connect();
    await fast.connect();
    try {
      // The slow transaction takes its sequence first, then waits before appending (its other work).
      await slow.startTransaction();
      await slow.query(`SELECT nextval(pg_get_serial_sequence('outbox_events', 'sequence'))`);
      await fast.startTransaction();
      await outbox.append(fast.manager, [widgetEvent({ zoneId, aggregateId: 'fast' })]);
      // The slow one appends while the fast one holds the zone: it waits for that commit.
      const slowAppend = outbox.append(slow.manager, [widgetEvent({ zoneId, aggregateId: 'slow' })]);
      await new Promise((resolve) => setTimeout(resolve, 100));
      await fast.commitTransaction();
      await slowAppend;
      // A reader between the two commits sees position 1 and nothing that could still go below it.
      expect((await rows()).map((row) => [row.aggregate_id, row.zone_position])).toEqual([['fast', '1']]);
      await slow.commitTransaction();
    } finally {
      await slow.release();
      await fast.release();
    }
    const stored = await dataSource.query<{ aggregate_id: string; zone_position: string }[]>(
      'SELECT aggregate_id, zone_position FROM outbox_events WHERE zone_key = $1 ORDER BY zone_position',
      [zoneId],
    );
    expect(stored).toEqual([
      { aggregate_id: 'fast', zone_position: '1' },
      { aggregate_id: 'slow', zone_position: '2' },
    ]);
  });

  it('refuses an event type no mounted domain declares, writing none of the events', async () => {
    const undeclared = widgetEvent({ type: 'gadget_created' });
    await expect(
      dataSource.transaction((manager) => outbox.append(manager, [widgetEvent(), undeclared, widgetEvent()])),
    ).rejects.toThrow(/gadget_created is declared by no mounted domain/);
    expect(await rows()).toEqual([]);

    // Refused before anything is inserted, not only undone by the rollback: the transaction can go on.
    await dataSource.transaction(async (manager) => {
      await expect(outbox.append(manager, [widgetEvent(), undeclared])).rejects.toThrow(/gadget_created/);
      await outbox.append(manager, [widgetEvent({ aggregateId: 'after-refusal' })]);
    });
    expect((await rows()).map((row) => row.aggregate_id)).toEqual(['after-refusal']);
  });

  it('appends more events than one INSERT holds (over 1000) in one call, in order', async () => {
    const zoneId = randomUUID();
    const events = Array.from({ length: 2_345 }, (_, i) =>
      widgetEvent({ zoneId, aggregateId: `widget-${i}`, payload: { i } }),
    );
    await dataSource.transaction((manager) => outbox.append(manager, events));

    const stored = await rows();
    expect(stored).toHaveLength(events.length);
    expect(stored.map((row) => row.event_id)).toEqual(events.map((event) => event.id));
    expect(stored.map((row) => row.payload)).toEqual(events.map((_, i) => ({ i })));
  });
});
