/**
 * Fault: Redis stops during a burst of 1,000 submissions
 * and starts again, empty. Every job must still reach `succeeded`, each run exactly
 * once (attemptCount 1, and the noop result records the attempt). Runs on a
 * PRIVATE redis-server (free port, no persistence), its own test database and data
 * directory: the shared Redis on 6379 is never touched. Clients retry a refused
 * submission with the same idempotencyKey, so a retry never makes a second job.
 *   npm run chaos:jobs-redis-restart
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PrivateRedis } from './private-redis';
import { SCRIPT_JOBS, report, sleep, startChaosStack, statusCounts } from './lib';
import type { ChaosStack } from './lib';

const JOBS = 1_000;
const SUBMITTERS = 8;
const KILL_AFTER = 300;
const DOWN_MS = 3_000;
const FINISH_WITHIN_MS = 120_000;

interface Burst {
  accepted: number;
  retries: number;
}

/** Submits JOBS jobs (idempotency key per job), retrying refused ones until accepted; `onAccepted` sees the running count. */
async function burst(stack: ChaosStack, onAccepted: (count: number) => void): Promise<Burst> {
  const result: Burst = { accepted: 0, retries: 0 };
  let next = 0;
  const deadline = Date.now() + 60_000;
  await Promise.all(
    Array.from({ length: SUBMITTERS }, async () => {
      while (next < JOBS) {
        const n = next++;
        const body = {
          type: 'system.noop',
          payload: { echo: `burst-${n}`, sleepMs: 20 },
          idempotencyKey: `burst-${n}`,
        };
        for (;;) {
          try {
            await stack.submit(body);
            break;
          } catch (error) {
            if (Date.now() > deadline) throw error;
            result.retries += 1;
            await sleep(100);
          }
        }
        result.accepted += 1;
        onAccepted(result.accepted);
      }
    }),
  );
  return result;
}

async function main(): Promise<void> {
  const redis = await PrivateRedis.start();
  const dataDir = await mkdtemp(join(tmpdir(), 'nexus-chaos-redis-'));
  const stack = await startChaosStack('redisrestart', { REDIS_URL: redis.url, NEXUS_DATA_DIR: dataDir });
  try {
    const fast = { NEXUS_JOB_SWEEP_INTERVAL_MS: '1000' };
    await stack.startWorker(fast);
    await stack.startWorker(fast);
    let outage: Promise<void> | undefined;
    let downMs = 0;
    let down = false;
    let acceptedWhileDown = 0;
    const submitted = await burst(stack, (accepted) => {
      if (down) acceptedWhileDown += 1;
      if (accepted !== KILL_AFTER) return;
      outage = (async () => {
        const killedAt = Date.now();
        down = true;
        await redis.kill();
        await sleep(DOWN_MS);
        await redis.start();
        down = false;
        downMs = Date.now() - killedAt;
      })();
    });
    await outage;
    const deadline = Date.now() + FINISH_WITHIN_MS;
    let counts: Record<string, number> = {};
    while (Date.now() < deadline) {
      counts = await statusCounts(stack.db);
      if ((counts.succeeded ?? 0) >= JOBS) break;
      await sleep(500);
    }
    const { rows } = await stack.db.query<{ total: number; once: number }>(
      `SELECT count(*)::int AS total,
              count(*) FILTER (WHERE status = 'succeeded' AND attempt_count = 1 AND (result->>'attempt')::int = 1)::int AS once
         FROM ${SCRIPT_JOBS}`,
    );
    const total = rows[0]?.total ?? -1;
    const once = rows[0]?.once ?? -1;
    const succeeded = counts.succeeded ?? 0;
    report(
      `chaos jobs.redis_restart jobs=${JOBS} accepted=${submitted.accepted} submit_retries=${submitted.retries} redis_down_ms=${downMs} ` +
        `accepted_while_down=${acceptedWhileDown} ` +
        `rows=${total} succeeded=${succeeded} succeeded_exactly_once=${once}`,
      submitted.accepted === JOBS &&
        total === JOBS &&
        succeeded === JOBS &&
        once === JOBS &&
        downMs > 0 &&
        acceptedWhileDown > 0,
    );
  } finally {
    await stack.close();
    await redis.kill();
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
