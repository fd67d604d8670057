import { randomUUID } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { eventually } from '@nexus/jobs/testing';
import { SYSTEM_EVENT_ZONE } from '@nexus/storage-models';
import { createTestDatabase } from '@nexus/storage-models/testing';
import type { TestDatabase } from '@nexus/storage-models/testing';
import type { DataSource } from 'typeorm';
import {
  ALL_THINGS,
  CREATED_THINGS,
  RelayProbe,
  THING_CREATED,
  THING_NOTED,
  THING_RENAMED,
} from '../testing/relay-test-domain';
import {
  committedIds,
  positionRow,
  relayTestConfig,
  relayTestOutbox,
  startRelayContext,
  thingEvent,
  writerDataSource,
} from '../testing/relay-test-kit';
import { EventConsumerPositions } from './consumer-lag';

jest.setTimeout(90_000);

const CONSUMER_TYPES: Record<string, readonly string[]> = {
  [ALL_THINGS]: [THING_CREATED, THING_RENAMED],
  [CREATED_THINGS]: [THING_CREATED],
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const random = (n: number) => Math.floor(Math.random() * n);

class RollBack extends Error {}

describe('EventRelay: order', () => {
  let database: TestDatabase;
  let writer: DataSource;
  let relay: INestApplicationContext;
  const probe = new RelayProbe();
  const outbox = relayTestOutbox();

  beforeAll(async () => {
    database = await createTestDatabase('nexus_relay_order');
    writer = await writerDataSource(database.url);
    relay = await startRelayContext(relayTestConfig(database.url), probe);
  });

  afterAll(async () => {
    await relay?.close();
    if (writer?.isInitialized) await writer.destroy();
    await database?.drop();
  });

  it('hands each event to its consumer as written, with its position and zone', async () => {
    const event = {
      ...thingEvent(null, THING_RENAMED, { name: 'renamed', nested: { n: [1, 2] } }),
      actor: { type: 'agent', id: 'bot-7' },
      revision: '42',
      causationId: randomUUID(),
      causationDepth: 3,
      correlationId: 'req-9',
    };
    await writer.transaction((manager) => outbox.append(manager, [event]));

    await eventually(async () => expect(probe.eventsOf(ALL_THINGS, null)).toHaveLength(1));
    expect(probe.eventsOf(ALL_THINGS, null)[0]).toEqual({ ...event, position: '1' });
    // Not its type: passed over, yet its position moves past the event.
    expect(probe.eventsOf(CREATED_THINGS, null)).toEqual([]);
    await eventually(async () =>
      expect((await positionRow(writer, CREATED_THINGS, SYSTEM_EVENT_ZONE))?.position).toBe('1'),
    );
  });

  it('16 concurrent writers in 2 zones: every consumer sees every committed event once, in position order', async () => {
    const zones = [randomUUID(), randomUUID()];
    const rolledBack = new Set<string>();
    const types = [THING_CREATED, THING_RENAMED, THING_NOTED];

    const write = async (writerNo: number): Promise<void> => {
      for (let round = 0; round < 12; round += 1) {
        const zoneId = zones[(writerNo + round) % 2]!;
        const events = Array.from({ length: 1 + random(3) }, (_, i) =>
          thingEvent(zoneId, types[random(3)], { writerNo, round, i }),
        );
        const mode = random(10);
        try {
          await writer.transaction(async (manager) => {
            if (mode === 1) {
              // Starts first (takes its sequence number), appends and commits last: zone order is commit order.
              await manager.query(`SELECT nextval(pg_get_serial_sequence('outbox_events', 'sequence'))`);
              await sleep(5 + random(20));
            }
            await outbox.append(manager, events);
            // Holds the zone open a few ms after appending: readers must not see past it.
            if (mode >= 2 && mode <= 5) await sleep(random(8));
            if (mode === 0) throw new RollBack();
          });
        } catch (error) {
          if (!(error instanceof RollBack)) throw error;
          for (const event of events) rolledBack.add(event.id);
        }
      }
    };
    await Promise.all(Array.from({ length: 16 }, (_, writerNo) => write(writerNo)));
    expect(rolledBack.size).toBeGreaterThan(0);

    for (const zoneId of zones) {
      for (const [consumer, wanted] of Object.entries(CONSUMER_TYPES)) {
        const expected = await committedIds(writer, zoneId, wanted);
        expect(expected.length).toBeGreaterThan(0);
        await eventually(async () =>
          expect(probe.eventsOf(consumer, zoneId).map((event) => event.id)).toEqual(expected),
        );
        const positions = probe.eventsOf(consumer, zoneId).map((event) => BigInt(event.position));
        expect(positions.every((position, i) => i === 0 || position > positions[i - 1]!)).toBe(true);
        expect(probe.eventsOf(consumer, zoneId).some((event) => rolledBack.has(event.id))).toBe(false);
        // The position reaches the zone's head even when its last events are of types nobody wants.
        const head = (await committedIds(writer, zoneId)).length;
        await eventually(async () =>
          expect((await positionRow(writer, consumer, zoneId))?.position).toBe(String(head)),
        );
      }
    }

    // What the handler wrote with the relay's transaction: each event once (the table's key says so).
    const [seen] = await writer.query<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM relay_test_seen s JOIN outbox_events e ON e.event_id = s.event_id
        WHERE e.zone_key = ANY($1::uuid[])`,
      [zones],
    );
    const expectedSeen =
      (await committedIds(writer, zones[0]!, [THING_CREATED, THING_RENAMED])).length +
      (await committedIds(writer, zones[1]!, [THING_CREATED, THING_RENAMED])).length +
      (await committedIds(writer, zones[0]!, [THING_CREATED])).length +
      (await committedIds(writer, zones[1]!, [THING_CREATED])).length;
    expect(seen?.n).toBe(expectedSeen);

    const lag = await new EventConsumerPositions(writer).positions([ALL_THINGS, CREATED_THINGS]);
    expect(lag.map(({ consumer, lag: behind, lagSeconds }) => ({ consumer, behind, lagSeconds }))).toEqual([
      { consumer: ALL_THINGS, behind: 0, lagSeconds: 0 },
      { consumer: CREATED_THINGS, behind: 0, lagSeconds: 0 },
    ]);
    expect(lag[0]!.zones.map((zone) => zone.zoneKey).sort()).toEqual([...zones, SYSTEM_EVENT_ZONE].sort());
  });
});
