import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { startNexusProcess } from '@nexus/core/testing';
import { eventually } from '@nexus/jobs/testing';
import { createTestDatabase } from '@nexus/storage-models/testing';
import type { TestDatabase } from '@nexus/storage-models/testing';
import type { DataSource } from 'typeorm';
import { ALL_THINGS, CREATED_THINGS, THING_CREATED, THING_RENAMED } from '../testing/relay-test-domain';
import {
  committedIds,
  positionRow,
  relayTestConfig,
  relayTestOutbox,
  startRelayContext,
  thingEvent,
  writerDataSource,
} from '../testing/relay-test-kit';
import { sideEffectProbe } from '../testing/side-effect-probe';

const CHILD = 'libs/events/src/testing/relay-crash-child.ts';

// The child transpiles its import graph under @swc-node/register: seconds on a quiet machine, more on a busy one.
jest.setTimeout(120_000);

interface Line {
  consumer: string;
  position: bigint;
  id: string;
}

describe('EventRelay: a relay killed mid-batch', () => {
  let database: TestDatabase;
  let writer: DataSource;
  let dir: string;
  let relay: INestApplicationContext | undefined;

  beforeAll(async () => {
    database = await createTestDatabase('nexus_relay_crash');
    writer = await writerDataSource(database.url);
    dir = await mkdtemp(join(tmpdir(), 'nexus-relay-crash-'));
  });

  afterAll(async () => {
    await relay?.close();
    if (writer?.isInitialized) await writer.destroy();
    await database?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('resumes at the stored position: nothing lost, side effects repeated only for the batch in flight', async () => {
    const zoneId = randomUUID();
    const outbox = relayTestOutbox();
    for (let i = 0; i < 60; i += 1)
      await writer.transaction((manager) =>
        outbox.append(manager, [thingEvent(zoneId, i % 3 === 0 ? THING_RENAMED : THING_CREATED, { i })]),
      );
    const file = join(dir, 'side-effects.log');

    const child = startNexusProcess(CHILD, {
      DATABASE_URL: database.url,
      RELAY_SIDE_EFFECT_FILE: file,
      RELAY_BATCH_HOLD_MS: '400',
    });
    let inFlight: RegExpMatchArray;
    try {
      // The third batch has made its side effect and holds its transaction open: kill it there.
      await child.waitForOutput(/(?:IN_BATCH [^\n]*\n){3}/, 90_000);
      child.child.kill('SIGKILL');
      await child.exited();
      const batches = [...child.output().matchAll(/IN_BATCH (\S+) (\d+)-(\d+)/g)];
      inFlight = batches.at(-1)!;
    } finally {
      await child.stop('SIGKILL');
    }
    const [, killedConsumer, first, last] = inFlight;
    // What the killed batch did is gone with its transaction: its consumer is still before it.
    const stored = BigInt((await positionRow(writer, killedConsumer!, zoneId))!.position);
    expect(stored).toBeLessThan(BigInt(first!));

    const probe = sideEffectProbe(file, 0, false);
    relay = await startRelayContext(
      relayTestConfig(database.url, { NEXUS_EVENT_RELAY_BATCH_SIZE: '10' }),
      probe,
    );
    const wanted = {
      [ALL_THINGS]: await committedIds(writer, zoneId, [THING_CREATED, THING_RENAMED]),
      [CREATED_THINGS]: await committedIds(writer, zoneId, [THING_CREATED]),
    };
    const head = String((await committedIds(writer, zoneId)).length);
    await eventually(async () => {
      for (const consumer of [ALL_THINGS, CREATED_THINGS])
        expect((await positionRow(writer, consumer, zoneId))?.position).toBe(head);
    }, 30_000);
    // The new relay started where the dead one's last commit left each consumer, not at the beginning.
    expect(probe.eventsOf(killedConsumer!, zoneId)[0]?.position).toBe(first);
    expect(probe.eventsOf(killedConsumer!, zoneId).every((event) => BigInt(event.position) > stored)).toBe(
      true,
    );

    const lines: Line[] = (await readFile(file, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => {
        const [consumer, position, id] = line.split(' ');
        return { consumer: consumer!, position: BigInt(position!), id: id! };
      });
    for (const [consumer, ids] of Object.entries(wanted)) {
      const mine = lines.filter((line) => line.consumer === consumer);
      // Nothing lost: every event of its types reached the side effect.
      expect([...new Set(mine.map((line) => line.id))].sort()).toEqual([...ids].sort());
      const counts = new Map<string, number>();
      for (const line of mine) counts.set(line.id, (counts.get(line.id) ?? 0) + 1);
      const repeated = mine.filter((line) => counts.get(line.id)! > 1);
      const inFlightLines = mine.filter(
        (line) =>
          consumer === killedConsumer && line.position >= BigInt(first!) && line.position <= BigInt(last!),
      );
      // Repeated exactly twice, and exactly the batch that was in flight.
      expect(new Set(repeated.map((line) => line.id))).toEqual(new Set(inFlightLines.map((line) => line.id)));
      expect(repeated.every((line) => counts.get(line.id) === 2)).toBe(true);
    }
    expect(lines.some((line) => line.consumer === killedConsumer && line.position === BigInt(first!))).toBe(
      true,
    );
    // What the handler wrote with the transaction is there once per event: the killed batch's write rolled back.
    const [seen] = await writer.query<Array<{ n: number }>>('SELECT count(*)::int AS n FROM relay_test_seen');
    expect(seen?.n).toBe(wanted[ALL_THINGS].length + wanted[CREATED_THINGS].length);
  });
});
