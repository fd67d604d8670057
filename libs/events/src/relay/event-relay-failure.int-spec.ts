import { randomUUID } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { MetricsService } from '@nexus/core';
import { eventually } from '@nexus/jobs/testing';
import { createTestDatabase } from '@nexus/storage-models/testing';
import type { TestDatabase } from '@nexus/storage-models/testing';
import type { DataSource } from 'typeorm';
import { ALL_THINGS, CREATED_THINGS, RelayProbe, THING_CREATED } from '../testing/relay-test-domain';
import {
  committedIds,
  positionRow,
  relayTestConfig,
  relayTestOutbox,
  startRelayContext,
  thingEvent,
  writerDataSource,
} from '../testing/relay-test-kit';
import { LAST_ERROR_MAX_CHARS } from './consumer-batch';

jest.setTimeout(90_000);

/** A sample's value in Prometheus text, or undefined. */
function sample(metrics: string, name: string, consumer: string): number | undefined {
  const line = metrics.split('\n').find((l) => l.startsWith(`${name}{consumer="${consumer}"}`));
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
}

describe('EventRelay: a failing consumer', () => {
  let database: TestDatabase;
  let writer: DataSource;
  let relay: INestApplicationContext;
  const probe = new RelayProbe();
  const outbox = relayTestOutbox();

  beforeAll(async () => {
    database = await createTestDatabase('nexus_relay_failure');
    writer = await writerDataSource(database.url);
    relay = await startRelayContext(relayTestConfig(database.url), probe);
  });

  afterAll(async () => {
    await relay?.close();
    if (writer?.isInitialized) await writer.destroy();
    await database?.drop();
  });

  const write = async (zoneId: string, count: number) => {
    for (let i = 0; i < count; i += 1)
      await writer.transaction((manager) =>
        outbox.append(manager, [thingEvent(zoneId, THING_CREATED, { i })]),
      );
  };

  it('waits with backoff in that zone only, records why, and resumes at its position once it recovers', async () => {
    const broken = randomUUID();
    const healthy = randomUUID();
    // Longer than last_error keeps, and shaped like something carrying data it must not store whole.
    probe.failing.set(RelayProbe.key(ALL_THINGS, broken), `index unavailable ${'x'.repeat(2_000)}`);

    await write(broken, 5);
    await write(healthy, 5);

    // The same consumer in another zone, and another consumer in the broken zone, keep flowing.
    await eventually(async () => {
      expect(probe.eventsOf(ALL_THINGS, healthy).map((e) => e.id)).toEqual(
        await committedIds(writer, healthy),
      );
      expect(probe.eventsOf(CREATED_THINGS, broken).map((e) => e.id)).toEqual(
        await committedIds(writer, broken),
      );
    });
    expect(probe.eventsOf(ALL_THINGS, broken)).toEqual([]);

    // Second failure: the backoff doubled (1 s, then 2 s), the position has not moved.
    await eventually(
      async () => expect((await positionRow(writer, ALL_THINGS, broken))?.failures).toBe(2),
      10_000,
    );
    const failed = (await positionRow(writer, ALL_THINGS, broken))!;
    expect(failed.position).toBe('0');
    expect(failed.last_error).toMatch(/^Error: index unavailable x+/);
    expect(failed.last_error!.length).toBeLessThanOrEqual(LAST_ERROR_MAX_CHARS);
    const backoffMs = failed.retry_at!.getTime() - failed.updated_at.getTime();
    expect(backoffMs).toBeGreaterThanOrEqual(1_900);
    expect(backoffMs).toBeLessThanOrEqual(2_100);

    // New events flow elsewhere while it waits.
    await write(healthy, 3);
    await eventually(async () =>
      expect(probe.eventsOf(ALL_THINGS, healthy).map((e) => e.id)).toEqual(
        await committedIds(writer, healthy),
      ),
    );

    // The counters move when a batch commits (after its handler saw the events) and the lag gauges
    // are refreshed by the find-work pass after it: wait for both.
    await eventually(async () => {
      const current = await relay.get(MetricsService).render();
      expect(sample(current, 'nexus_event_consumer_lag_events', CREATED_THINGS)).toBe(0);
      expect(sample(current, 'nexus_event_consumer_events_total', ALL_THINGS)).toBe(8);
      expect(sample(current, 'nexus_event_consumer_lag_events', ALL_THINGS)).toBe(5);
    });
    const metrics = await relay.get(MetricsService).render();
    expect(sample(metrics, 'nexus_event_consumer_failed_batches_total', ALL_THINGS)).toBeGreaterThanOrEqual(
      2,
    );
    expect(sample(metrics, 'nexus_event_consumer_failed_batches_total', CREATED_THINGS)).toBe(0);
    expect(sample(metrics, 'nexus_event_consumer_events_total', ALL_THINGS)).toBe(8);
    expect(sample(metrics, 'nexus_event_consumer_lag_events', ALL_THINGS)).toBe(5);
    expect(sample(metrics, 'nexus_event_consumer_lag_events', CREATED_THINGS)).toBe(0);
    expect(sample(metrics, 'nexus_event_consumer_lag_seconds', ALL_THINGS)).toBeGreaterThan(0);

    // Recovered: the next retry delivers the zone from its first event, once each, and clears the record.
    probe.failing.clear();
    await eventually(
      async () =>
        expect(probe.eventsOf(ALL_THINGS, broken).map((e) => e.id)).toEqual(
          await committedIds(writer, broken),
        ),
      15_000,
    );
    expect(probe.eventsOf(ALL_THINGS, broken).map((e) => e.position)).toEqual(['1', '2', '3', '4', '5']);
    await eventually(async () =>
      expect(await positionRow(writer, ALL_THINGS, broken)).toMatchObject({
        position: '5',
        failures: 0,
        last_error: null,
        retry_at: null,
      }),
    );
    await eventually(async () =>
      expect(
        sample(await relay.get(MetricsService).render(), 'nexus_event_consumer_lag_events', ALL_THINGS),
      ).toBe(0),
    );
  });
});
