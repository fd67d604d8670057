import { Inject, Injectable, Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import { defineDomain, defineEventConsumer } from '@nexus/core';
import type { DeliveredEvent, EventBatch, EventConsumer } from '@nexus/core';
import type { EntityManager, MigrationInterface, QueryRunner } from 'typeorm';

/*
 * A throwaway domain for the relay's tests: three event types, two consumers
 * whose handlers record what they receive (in memory, through a RelayProbe the
 * test holds, and in a table written with the relay's transaction).
 */

export const THING_CREATED = 'thing_created';
export const THING_RENAMED = 'thing_renamed';
/** Wanted by no consumer: the relay passes over it. */
export const THING_NOTED = 'thing_noted';

export const ALL_THINGS = 'relaytest.all';
export const CREATED_THINGS = 'relaytest.created';

/** Batches inside a handler right now, across relay contexts: two of one consumer and zone would be an overlap. */
export class OverlapTracker {
  /** Keys seen entered while already inside a batch of the same consumer and zone. */
  readonly overlaps: string[] = [];
  readonly active = new Set<string>();
}

/** What the test sees of one relay context's handlers. */
export class RelayProbe {
  /** `consumer/zoneId` → the events received, in the order received. */
  readonly received = new Map<string, DeliveredEvent[]>();
  /** `consumer/zoneId` → the message its handler throws with. */
  readonly failing = new Map<string, string>();
  batches = 0;
  /** Each batch waits a random 0..delayMs ms inside the handler. */
  delayMs = 0;
  /** Runs inside each batch, before the handler's write (the crash test's side effect). */
  hook: ((batch: EventBatch<EntityManager>) => Promise<void>) | null = null;

  constructor(readonly tracker = new OverlapTracker()) {}

  static key(consumer: string, zoneId: string | null): string {
    return `${consumer}/${zoneId ?? 'system'}`;
  }

  eventsOf(consumer: string, zoneId: string | null): DeliveredEvent[] {
    return this.received.get(RelayProbe.key(consumer, zoneId)) ?? [];
  }

  async handle(batch: EventBatch<EntityManager>): Promise<void> {
    const key = RelayProbe.key(batch.consumer, batch.zoneId);
    const { active, overlaps } = this.tracker;
    if (active.has(key)) overlaps.push(key);
    active.add(key);
    try {
      const failure = this.failing.get(key);
      if (failure !== undefined) throw new Error(failure);
      await this.hook?.(batch);
      if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, Math.random() * this.delayMs));
      // Commits with the position, or not at all: a second delivery would violate the key.
      await batch.transaction.query(
        `INSERT INTO relay_test_seen (consumer, event_id, position)
         SELECT $1, id, pos FROM unnest($2::uuid[], $3::bigint[]) AS t(id, pos)`,
        [batch.consumer, batch.events.map((event) => event.id), batch.events.map((event) => event.position)],
      );
      this.batches += 1;
      this.received.set(key, [...this.eventsOf(batch.consumer, batch.zoneId), ...batch.events]);
    } finally {
      active.delete(key);
    }
  }
}

export const RELAY_PROBE = Symbol('relaytest:probe');

@Injectable()
export class AllThingsConsumer implements EventConsumer<EntityManager> {
  constructor(@Inject(RELAY_PROBE) private readonly probe: RelayProbe) {}

  handle(batch: EventBatch<EntityManager>): Promise<void> {
    return this.probe.handle(batch);
  }
}

@Injectable()
export class CreatedThingsConsumer implements EventConsumer<EntityManager> {
  constructor(@Inject(RELAY_PROBE) private readonly probe: RelayProbe) {}

  handle(batch: EventBatch<EntityManager>): Promise<void> {
    return this.probe.handle(batch);
  }
}

/** Declared by a domain but provided by no module: the relay must refuse to start. */
@Injectable()
export class OrphanConsumer implements EventConsumer {
  async handle(): Promise<void> {}
}

export class RelayTestTables1999999999100 implements MigrationInterface {
  name = 'RelayTestTables1999999999100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "relay_test_seen" ("consumer" character varying(128) NOT NULL, "event_id" uuid NOT NULL, "position" bigint NOT NULL, PRIMARY KEY ("consumer", "event_id"))',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "relay_test_seen"');
  }
}

/** The handlers' module, mounted by the test context with the test's probe. */
@Module({})
export class RelayTestWorkerModule {
  static forRoot(probe: RelayProbe): DynamicModule {
    return {
      module: RelayTestWorkerModule,
      providers: [{ provide: RELAY_PROBE, useValue: probe }, AllThingsConsumer, CreatedThingsConsumer],
    };
  }
}

export const RELAY_TEST_DOMAIN = defineDomain({
  name: 'relaytest',
  entities: [],
  migrations: [RelayTestTables1999999999100],
  eventTypes: [THING_CREATED, THING_RENAMED, THING_NOTED],
  eventConsumers: [
    defineEventConsumer({
      name: ALL_THINGS,
      eventTypes: [THING_CREATED, THING_RENAMED],
      handler: AllThingsConsumer,
      summary: 'Records created and renamed things',
    }),
    defineEventConsumer({
      name: CREATED_THINGS,
      eventTypes: [THING_CREATED],
      handler: CreatedThingsConsumer,
      summary: 'Records created things',
    }),
  ],
});

/** Declares a consumer whose handler no module provides. */
export const ORPHAN_DOMAIN = defineDomain({
  name: 'orphans',
  entities: [],
  migrations: [],
  eventTypes: ['orphan_event'],
  eventConsumers: [
    defineEventConsumer({
      name: 'orphans.lost',
      eventTypes: ['orphan_event'],
      handler: OrphanConsumer,
      summary: 'Has no provider',
    }),
  ],
});
