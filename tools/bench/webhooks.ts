/**
 * Webhook delivery benchmark: a real API process, a real worker process and a local receiver
 * (node:http on 127.0.0.1), 10 subscriptions all matching `/bench/**` file writes.
 * - baseline: this process signs and POSTs 10,000 messages straight to the receiver through the
 *   same SSRF-safe client the worker uses (64 in flight) — what the machine allows for the
 *   HTTP part alone, with nothing durable.
 * - throughput: 1,000 files are written while the worker is stopped (their events wait in the
 *   outbox); the worker starts and the clock runs from "worker started" until the receiver has
 *   all 10,000 deliveries: relay → messages + jobs → BullMQ → lease → sign → POST → record.
 *   Goal ≥ 1,000 deliveries/s.
 * - latency: 1,000 more writes paced at 100 writes/s with the worker running; per delivery,
 *   receiver arrival − the event's occurredAt (set in the write's transaction just before commit,
 *   so an upper bound of commit → delivery). Goal p95 ≤ 500 ms.
 * The receiver verifies the first 20 requests of each phase with the `standardwebhooks`
 * library (all must verify), then only counts.
 *   npm run bench:webhooks   (WEBHOOK_BENCH_CONCURRENCY: worker --concurrency, default 64)
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { freePort, startNexusProcess } from '@nexus/core/testing';
import type { NexusProcess } from '@nexus/core/testing';
import { createTestDatabase } from '@nexus/storage-models/testing';
import { generateWebhookSecret, newMessageId, postWebhook, parseAllowList, signWebhook } from '@nexus/subscriptions';
import { WebhookReceiver } from '@nexus/subscriptions/testing';
import { editorKey, startApi } from './lib/api-process';

const SUBSCRIPTIONS = 10;
const WRITES = 1_000;
const WRITERS = 16;
const PACED_WRITES_PER_SECOND = 100;
// Enough writers that a write's latency under load (~200 ms) never holds the pace back.
const PACED_WRITERS = 64;
const BASELINE_IN_FLIGHT = 64;
const VERIFY_FIRST = 20;
const CONCURRENCY = Number(process.env['WEBHOOK_BENCH_CONCURRENCY'] ?? 64);
const PROFILE_DIR = process.env['WEBHOOK_BENCH_PROFILE'];

const WEBHOOK_ENV = {
  NEXUS_WEBHOOK_ALLOW_HTTP: 'true',
  NEXUS_WEBHOOK_ALLOW_HOSTS: '127.0.0.1',
  NEXUS_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
};

const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

/** PUTs `count` 1 KiB files under `/bench/<tag>/`, `writers` at a time, at most `perSecond` (Infinity: closed loop). */
async function writeFiles(
  base: string,
  key: string,
  tag: string,
  count: number,
  perSecond: number,
  writers: number,
): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: writers });
  const started = Date.now();
  let next = 0;
  let errors = 0;
  const one = (n: number) =>
    new Promise<void>((resolve) => {
      const req = request(
        `${base}/api/v1/files/bench/${tag}/f${n}.bin?parents=true`,
        { agent, method: 'PUT', headers: { authorization: `Bearer ${key}` } },
        (res) => {
          if (res.statusCode !== 201) errors += 1;
          res.resume().on('end', resolve);
        },
      );
      req.on('error', () => {
        errors += 1;
        resolve();
      });
      req.end(randomBytes(1024));
    });
  await Promise.all(
    Array.from({ length: writers }, async () => {
      for (let n = next++; n < count; n = next++) {
        const due = started + (n * 1000) / perSecond;
        if (Number.isFinite(due) && due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
        await one(n);
      }
    }),
  );
  agent.destroy();
  if (errors > 0) throw new Error(`${errors} of ${count} writes failed`);
  return (Date.now() - started) / 1000;
}

/** Signs and POSTs `count` messages to the receiver, BASELINE_IN_FLIGHT at a time: deliveries/s without the system. */
async function baselinePosts(receiver: WebhookReceiver, count: number): Promise<number> {
  const secret = generateWebhookSecret();
  const allowList = parseAllowList('127.0.0.1');
  const body = JSON.stringify({ type: 'file_write', data: { path: '/bench/x', pad: 'x'.repeat(700) } });
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: BASELINE_IN_FLIGHT }, async () => {
      for (; next < count; next++) {
        const headers = signWebhook({ messageId: newMessageId(), timestamp: new Date(), body, secrets: [secret] });
        const response = await postWebhook({
          url: receiver.url('baseline'),
          body,
          headers: { ...headers, 'content-type': 'application/json' },
          allowHttp: true,
          allowList,
        });
        if (response.status !== 204) throw new Error(`baseline: HTTP ${response.status}`);
      }
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

async function main(): Promise<void> {
  const database = await createTestDatabase('nexus_bench_webhooks');
  const receiver = await new WebhookReceiver().start();
  const processes: NexusProcess[] = [];
  let dataDir = '';
  try {
    receiver.verify = false;
    const baselineRate = await baselinePosts(receiver, SUBSCRIPTIONS * WRITES);

    const queue = `bench-webhooks-${randomBytes(4).toString('hex')}`;
    const started = await startApi(database.url, { ...WEBHOOK_ENV, NEXUS_JOBS_QUEUE: queue });
    processes.push(started.api);
    dataDir = started.dataDir;
    const { base, adminKey } = started;
    const editor = await editorKey(base, adminKey);
    for (let i = 0; i < SUBSCRIPTIONS; i++) {
      const response = await fetch(`${base}/api/v1/subscriptions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ url: receiver.url(`s${i}`), eventTypes: ['file_write'], patterns: ['/bench/**'] }),
      });
      const created = (await response.json()) as { secret: string };
      if (response.status !== 201) throw new Error(`subscription: ${response.status} ${JSON.stringify(created)}`);
      receiver.addSecret(`s${i}`, created.secret);
    }
    const verified = { checked: 0, failed: 0 };
    const arrivals: number[] = [];
    const latencies: number[] = [];
    receiver.onRequest((received) => {
      if (received.route === 'baseline') return;
      arrivals.push(received.at);
      latencies.push(received.at - Date.parse((JSON.parse(received.body) as { occurredAt: string }).occurredAt));
      if (verified.checked < VERIFY_FIRST) {
        verified.checked += 1;
        if (received.verifiedWith.length !== 1) verified.failed += 1;
        receiver.verify = verified.checked < VERIFY_FIRST;
      }
    });

    // Throughput: the backlog of 1,000 writes' events, delivered from a cold worker start.
    receiver.verify = true;
    await writeFiles(base, editor.key, 'backlog', WRITES, Infinity, WRITERS);
    const metricsPort = await freePort();
    const worker = startNexusProcess(
      'apps/worker/src/main.ts',
      {
        ...WEBHOOK_ENV,
        DATABASE_URL: database.url,
        NEXUS_DATA_DIR: dataDir,
        NEXUS_JOBS_QUEUE: queue,
        NEXUS_WORKER_METRICS_PORT: String(metricsPort),
      },
      ['--concurrency', String(CONCURRENCY)],
      // WEBHOOK_BENCH_PROFILE=<dir>: a CPU profile of the worker, written when it stops.
      PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : [],
    );
    processes.push(worker);
    await worker.waitForOutput(/Nexus worker \S+ started/, 120_000);
    const workerStarted = Date.now();
    const backlog = SUBSCRIPTIONS * WRITES;
    await Promise.all(Array.from({ length: SUBSCRIPTIONS }, (_, i) => receiver.waitFor(`s${i}`, WRITES, 180_000)));
    const lastArrival = Math.max(...arrivals.slice(0, backlog));
    const deliveriesPerSecond = backlog / ((lastArrival - workerStarted) / 1000);

    // Latency: 100 writes/s with the worker running.
    arrivals.length = 0;
    latencies.length = 0;
    verified.checked = 0;
    receiver.verify = true;
    const writeSeconds = await writeFiles(base, editor.key, 'paced', WRITES, PACED_WRITES_PER_SECOND, PACED_WRITERS);
    await Promise.all(Array.from({ length: SUBSCRIPTIONS }, (_, i) => receiver.waitFor(`s${i}`, 2 * WRITES, 60_000)));
    const sorted = [...latencies].sort((a, b) => a - b);
    const p50 = percentile(sorted, 50);
    const p95 = percentile(sorted, 95);
    const duplicates = receiver.received.length - new Set(receiver.received.map((r) => r.headers['webhook-id'])).size;

    const pass =
      deliveriesPerSecond >= 1_000 && p95 <= 500 && verified.failed === 0 && latencies.length === backlog;
    console.log(
      `bench webhooks.delivery deliveries=${backlog} deliveries_s=${Math.round(deliveriesPerSecond)} ` +
        `baseline_posts_s=${Math.round(baselineRate)} ratio=${(deliveriesPerSecond / baselineRate).toFixed(2)} ` +
        `paced_writes_s=${Math.round(WRITES / writeSeconds)} latency_p50_ms=${Math.round(p50)} latency_p95_ms=${Math.round(p95)} ` +
        `verified=${VERIFY_FIRST * 2 - verified.failed}/${VERIFY_FIRST * 2} duplicates=${duplicates} concurrency=${CONCURRENCY} ` +
        `target=deliveries_s>=1000,p95<=500ms ${pass ? 'PASS' : 'FAIL'}`,
    );
  } finally {
    for (const child of processes.reverse()) await child.stop('SIGTERM').catch(() => undefined);
    await receiver.close();
    await database.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
