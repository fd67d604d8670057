import { randomUUID } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { eventually } from '@nexus/jobs/testing';
import { createTestDatabase } from '@nexus/storage-models/testing';
import type { TestDatabase } from '@nexus/storage-models/testing';
import type { DataSource } from 'typeorm';
import type { DeliveredEvent } from '@nexus/core';
import {
  ALL_THINGS,
  CREATED_THINGS,
  OverlapTracker,
  RelayProbe,
  THING_CREATED,
  THING_NOTED,
  THING_RENAMED,
} from '../testing/relay-test-domain';
import {
  committedIds,
  relayTestConfig,
  relayTestOutbox,
  startRelayContext,
  thingEvent,
  writerDataSource,
} from '../testing/relay-test-kit';

jest.setTimeout(90_000);

const CONSUMER_TYPES: Record<string, readonly string[]> = {
  [ALL_THINGS]: [THING_CREATED, THING_RENAMED],
  [CREATED_THINGS]: [THING_CREATED],
};

describe('EventRelay: two relays on one database', () => {
  let database: TestDatabase;
  let writer: DataSource;
  const relays: INestApplicationContext[] = [];
  const tracker = new OverlapTracker();
  const probes = [new RelayProbe(tracker), new RelayProbe(tracker)];
  const outbox = relayTestOutbox();

  beforeAll(async () => {
    database = await createTestDatabase('nexus_relay_exclusive');
    writer = await writerDataSource(database.url);
    for (const probe of probes) {
      // Handlers take a few ms, so the two relays' batches of one pair would overlap if both could lock it.
      probe.delayMs = 5;
      relays.push(await startRelayContext(relayTestConfig(database.url), probe));
    }
  });

  afterAll(async () => {
    await Promise.all(relays.map((relay) => relay.close()));
    if (writer?.isInitialized) await writer.destroy();
    await database?.drop();
  });

  it('never runs one consumer in one zone twice at once, and between them processes every event once', async () => {
    const zones = Array.from({ length: 4 }, () => randomUUID());
    const types = [THING_CREATED, THING_RENAMED, THING_NOTED];
    await Promise.all(
      zones.map(async (zoneId) => {
        for (let round = 0; round < 40; round += 1) {
          const events = Array.from({ length: 1 + (round % 4) }, (_, i) =>
            thingEvent(zoneId, types[(round + i) % 3]),
          );
          await writer.transaction((manager) => outbox.append(manager, events));
          await new Promise((resolve) => setTimeout(resolve, 2));
        }
      }),
    );

    const union = (consumer: string, zoneId: string): DeliveredEvent[] =>
      probes
        .flatMap((probe) => probe.eventsOf(consumer, zoneId))
        .sort((a, b) => (BigInt(a.position) < BigInt(b.position) ? -1 : 1));
    for (const zoneId of zones) {
      for (const [consumer, wanted] of Object.entries(CONSUMER_TYPES)) {
        const expected = await committedIds(writer, zoneId, wanted);
        await eventually(async () =>
          expect(union(consumer, zoneId).map((event) => event.id)).toEqual(expected),
        );
      }
    }
    expect(tracker.overlaps).toEqual([]);
    // Both took part (the work is not all one relay's), which is what makes the check above mean something.
    expect(probes[0]!.batches).toBeGreaterThan(0);
    expect(probes[1]!.batches).toBeGreaterThan(0);
    const [seen] = await writer.query<Array<{ n: number; distinct: number }>>(
      `SELECT count(*)::int AS n, count(DISTINCT (consumer, event_id))::int AS distinct FROM relay_test_seen`,
    );
    expect(seen?.n).toBe(seen?.distinct);
  });
});
