/**
 * Event relay benchmark: 16 HTTP clients PUT new 1 KiB files through a real API process for
 * ~10 s while this process runs the real EventRelayModule (default WorkerConfig settings) over
 * the same database, feeding a bench-only consumer of the filesystem's event types.
 * - latency: per event, Date.now() - occurredAt at the handler. occurredAt is set inside the
 *   write's transaction just before commit, so this is an upper bound of commit→consumer latency.
 * - events_s: events the consumer received per second over the write window; after the writers
 *   stop we wait (≤ 10 s) for the rest, lag_at_end = events not yet received when the window closed.
 * PASS when p95 ≤ 250 ms, events_s ≥ writes_s × 0.95 (5 % tolerance: events still in flight at
 * the window's edge) and the lag drains.   npm run bench:events
 */
import { rmSync } from 'node:fs';
import { Injectable, Module } from '@nestjs/common';
import type { DynamicModule, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  ConfigModule,
  DomainsModule,
  ObservabilityModule,
  WorkerConfig,
  composeDomains,
  defineDomain,
  defineEventConsumer,
  loadConfig,
} from '@nexus/core';
import type { EventBatch, EventConsumer } from '@nexus/core';
import { EVENTS_DOMAIN, EventRelayModule } from '@nexus/events';
import { FILESYSTEM_DOMAIN, FILE_EVENT_TYPES } from '@nexus/filesystem';
import { DatabaseModule } from '@nexus/storage-models';
import { createTestDatabase } from '@nexus/storage-models/testing';
import { apiWriters, editorKey, startApi } from './lib/api-process';
import { runPutLoad } from './lib/put-load';

const CLIENTS = 16;
const BODY_BYTES = 1024;
const WINDOW_MS = 10_000;
const DRAIN_MS = 10_000;

/** What the consumer saw: latencies and arrival times (ms since epoch). */
const seen = { latencies: [] as number[], arrivals: [] as number[] };

@Injectable()
class BenchConsumer implements EventConsumer {
  async handle(batch: EventBatch): Promise<void> {
    const now = Date.now();
    for (const event of batch.events) {
      seen.latencies.push(now - Date.parse(event.occurredAt));
      seen.arrivals.push(now);
    }
  }
}

const BENCH_DOMAIN = defineDomain({
  name: 'benchrelay',
  entities: [],
  migrations: [],
  eventConsumers: [
    defineEventConsumer({
      name: 'benchrelay.files',
      eventTypes: [...FILE_EVENT_TYPES],
      handler: BenchConsumer,
      summary: 'Records each file event’s latency',
    }),
  ],
});

// FILESYSTEM_DOMAIN declares the event types; its worker module is not mounted.
const DOMAINS = composeDomains([EVENTS_DOMAIN, FILESYSTEM_DOMAIN, BENCH_DOMAIN]);

@Module({})
class BenchRelayModule {
  static forRoot(config: WorkerConfig): DynamicModule {
    return {
      module: BenchRelayModule,
      imports: [
        ConfigModule.forRoot(config),
        ObservabilityModule,
        DomainsModule.forRoot(DOMAINS),
        // The API already migrated the database.
        DatabaseModule.forRoot({ schema: DOMAINS, runMigrations: false }),
        EventRelayModule.forRoot(),
      ],
      providers: [BenchConsumer],
    };
  }
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function main(): Promise<void> {
  const database = await createTestDatabase('nexus_bench_events');
  let relay: INestApplicationContext | undefined;
  let started: Awaited<ReturnType<typeof startApi>> | undefined;
  try {
    started = await startApi(database.url);
    const { base, adminKey } = started;
    const { key } = await editorKey(base, adminKey);
    const config = loadConfig(WorkerConfig, { DATABASE_URL: database.url, LOG_LEVEL: 'silent' });
    relay = await NestFactory.createApplicationContext(BenchRelayModule.forRoot(config), {
      logger: false,
      abortOnError: false,
    });
    await relay.init();
    // Warm-up (parents, caches), then count only the window's events.
    await runPutLoad(apiWriters(base, key, 'warm', CLIENTS), { bodyBytes: BODY_BYTES, durationMs: 1_000 });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    seen.latencies.length = 0;
    seen.arrivals.length = 0;
    const startedAt = Date.now();
    const load = await runPutLoad(apiWriters(base, key, 'run', CLIENTS), {
      bodyBytes: BODY_BYTES,
      durationMs: WINDOW_MS,
    });
    const endedAt = Date.now();
    const inWindow = seen.arrivals.filter((at) => at <= endedAt).length;
    // Each 201 is one file_write (parents exist after the first write of each client; dir_create adds a few).
    const expected = load.writes;
    const drainUntil = Date.now() + DRAIN_MS;
    while (seen.latencies.length < expected && Date.now() < drainUntil)
      await new Promise((resolve) => setTimeout(resolve, 50));
    const seconds = (endedAt - startedAt) / 1000;
    const eventsS = inWindow / seconds;
    const p50 = percentile(seen.latencies, 50);
    const p95 = percentile(seen.latencies, 95);
    const lagAtEnd = Math.max(0, expected - inWindow);
    const drained = seen.latencies.length >= expected;
    const ok = p95 <= 250 && eventsS >= load.writesPerSecond * 0.95 && drained && load.errors === 0;
    process.stdout.write(
      `bench events.relay writes_s=${load.writesPerSecond.toFixed(0)} events_s=${eventsS.toFixed(0)} ` +
        `latency_p50_ms=${p50.toFixed(0)} latency_p95_ms=${p95.toFixed(0)} events=${seen.latencies.length} ` +
        `lag_at_end=${lagAtEnd} errors=${load.errors} target=p95<=250ms,events_s>=writes_s ${ok ? 'PASS' : 'FAIL'}\n`,
    );
  } finally {
    await relay?.close();
    await started?.api.stop();
    await database.drop();
    if (started) rmSync(started.dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
