import { randomUUID } from 'node:crypto';
import { composeDomains } from '@nexus/core';
import { eventually } from '@nexus/jobs/testing';
import { createTestDatabase } from '@nexus/storage-models/testing';
import type { TestDatabase } from '@nexus/storage-models/testing';
import type { DataSource } from 'typeorm';
import { EVENTS_DOMAIN } from '../events.domain';
import { ALL_THINGS, ORPHAN_DOMAIN, RELAY_TEST_DOMAIN, RelayProbe } from '../testing/relay-test-domain';
import {
  RELAY_TEST_DOMAINS,
  relayTestConfig,
  relayTestOutbox,
  startRelayContext,
  thingEvent,
  writerDataSource,
} from '../testing/relay-test-kit';

jest.setTimeout(60_000);

describe('EventRelay: starting', () => {
  let database: TestDatabase;
  let writer: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase('nexus_relay_startup');
    writer = await writerDataSource(database.url);
  });

  afterAll(async () => {
    if (writer?.isInitialized) await writer.destroy();
    await database?.drop();
  });

  it('refuses to start when a consumer has no handler, naming the consumer, its domain and the missing provider', async () => {
    const domains = composeDomains([EVENTS_DOMAIN, RELAY_TEST_DOMAIN, ORPHAN_DOMAIN]);
    await expect(startRelayContext(relayTestConfig(database.url), new RelayProbe(), domains)).rejects.toThrow(
      'Event consumers are misconfigured: event consumer orphans.lost of domain orphans: its handler ' +
        "OrphanConsumer is provided by no module (add it to the domain's worker module providers)",
    );
  });

  it('relays nothing in a bounded run (--once, --max-jobs), and does in an unbounded one', async () => {
    const zoneId = randomUUID();
    await writer.transaction((manager) => relayTestOutbox().append(manager, [thingEvent(zoneId)]));
    const config = relayTestConfig(database.url);

    const bounded = new RelayProbe();
    const once = { workerId: 'test-once', concurrency: 1, jobBudget: 1 };
    const boundedRelay = await startRelayContext(config, bounded, RELAY_TEST_DOMAINS, once);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await boundedRelay.close();
    expect(bounded.batches).toBe(0);

    const unbounded = new RelayProbe();
    const running = { ...once, workerId: 'test-running', jobBudget: null };
    const relay = await startRelayContext(config, unbounded, RELAY_TEST_DOMAINS, running);
    try {
      await eventually(async () => expect(unbounded.eventsOf(ALL_THINGS, zoneId)).toHaveLength(1));
    } finally {
      await relay.close();
    }
  });
});
