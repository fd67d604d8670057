/**
 * Job system end to end: one API process and WORKERS
 * worker processes (--concurrency CONCURRENCY) on PostgreSQL and Redis. Submits
 * JOBS system.noop jobs through the public API (POST /api/v1/jobs/batch, 1000 per
 * call), and measures submit → all `succeeded`; checks no job ran twice
 * (attemptCount 1). Each of ROUNDS rounds (after one warm-up round) is followed by raw BullMQ (Queue.addBulk +
 * WORKERS Workers of the same concurrency, no-op processor, same Redis), the
 * baseline; the medians are reported (this machine is shared and noisy).
 *   npm run bench:jobs   (JOBS, ROUNDS, WORKERS, CONCURRENCY override the defaults)
 */
import { randomBytes } from 'node:crypto';
import { freePort, startNexusProcess } from '@nexus/core/testing';
import type { NexusProcess } from '@nexus/core/testing';
import { createTestDatabase } from '@nexus/storage-models/testing';
import { Client } from 'pg';
import { median } from './lib/http-load';
import { rawBullmqJobsPerSecond } from './lib/raw-bullmq';

const JOBS = Number(process.env.JOBS ?? 10_000);
const WORKERS = Number(process.env.WORKERS ?? 2);
// Jobs in flight per worker, the same for Nexus and raw BullMQ. A no-op job is all
// state-transition overhead, which Nexus group-commits: its throughput grows with
// the jobs in flight (≈0.30–0.37 of raw at 32, 0.39–0.47 at 64), raw BullMQ's
// hardly moves from 32 to 128.
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 64);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const BATCH = 1_000;
const SUBMITTERS = 2;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

async function operatorKey(base: string, adminKey: string): Promise<string> {
  for (let i = 0; i < 200 && !(await fetch(`${base}/healthz`).then((r) => r.ok, () => false)); i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const created = await fetch(`${base}/api/v1/auth/keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'bench', subjectType: 'agent', subjectId: 'bench', role: 'operator', rateLimitPerMinute: 1_000_000 }),
  });
  return ((await created.json()) as { key: string }).key;
}

async function submitAll(base: string, key: string): Promise<number> {
  let next = 0;
  let errors = 0;
  await Promise.all(
    Array.from({ length: SUBMITTERS }, async () => {
      while (next < JOBS) {
        const size = Math.min(BATCH, JOBS - next);
        next += size;
        const response = await fetch(`${base}/api/v1/jobs/batch`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify({ jobs: Array.from({ length: size }, () => ({ type: 'system.noop', payload: {} })) }),
        });
        if (response.status !== 201) {
          errors += size;
          process.stderr.write(`batch submit failed: ${response.status} ${await response.text()}\n`);
        } else await response.arrayBuffer();
      }
    }),
  );
  return errors;
}

interface Round {
  jobsPerSecond: number;
  submitPerSecond: number;
  succeeded: number;
  submitErrors: number;
  raw: number;
}

/**
 * One round through Nexus: submits JOBS no-op jobs and waits until they all
 * succeeded. The time is taken from the first submission to the last job's
 * finished_at (set by the worker on this machine's clock), so how often this
 * script polls does not count.
 */
async function nexusRound(base: string, key: string, db: Client, round: number): Promise<Omit<Round, 'raw'>> {
  const before = JOBS * round;
  const target = before + JOBS;
  const started = Date.now();
  const submitErrors = await submitAll(base, key);
  const submitSeconds = (Date.now() - started) / 1000;
  const deadline = Date.now() + 300_000;
  let done = 0;
  while (Date.now() < deadline) {
    // Only the benchmark's own jobs: workers also schedule filesystem maintenance jobs.
    const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM jobs WHERE type = 'system.noop' AND status = 'succeeded'`);
    done = rows[0]?.n ?? 0;
    if (done >= target - submitErrors) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const { rows } = await db.query<{ last: Date | null }>(
    `SELECT max(finished_at) AS last FROM jobs WHERE type = 'system.noop' AND status = 'succeeded'`,
  );
  const seconds = ((rows[0]?.last?.getTime() ?? Date.now()) - started) / 1000;
  return { jobsPerSecond: JOBS / seconds, submitPerSecond: JOBS / submitSeconds, succeeded: done - before, submitErrors };
}

async function main(): Promise<void> {
  const database = await createTestDatabase('nexus_bench_jobs');
  const port = await freePort();
  const suffix = randomBytes(4).toString('hex');
  const env = { DATABASE_URL: database.url, REDIS_URL, LOG_LEVEL: 'warn', NEXUS_JOBS_QUEUE: `bench-jobs-${suffix}`, NEXUS_WORKER_METRICS_PORT: '0' };
  // API_NODE_OPTIONS / WORKER_NODE_OPTIONS (e.g. `--require ./profiler.cjs`) go to the API / the workers only, for profiling.
  const profileOf = (options: string | undefined): Record<string, string> => (options ? { NODE_OPTIONS: options } : {});
  const api = startNexusProcess('apps/api/src/main.ts', { ...env, ...profileOf(process.env.API_NODE_OPTIONS), NEXUS_PORT: String(port) });
  const workers: NexusProcess[] = [];
  const db = new Client({ connectionString: database.url });
  try {
    const [, adminKey] = await api.waitForOutput(/Bootstrap superuser key created \(shown once, store it now\): (\S+?)"/);
    const base = `http://127.0.0.1:${port}`;
    const key = await operatorKey(base, adminKey ?? '');
    await db.connect();
    for (let i = 0; i < WORKERS; i++) {
      const profile = profileOf(process.env.WORKER_NODE_OPTIONS);
      workers.push(startNexusProcess('apps/worker/src/main.ts', { ...env, ...profile, LOG_LEVEL: 'info' }, ['--concurrency', String(CONCURRENCY)]));
    }
    await Promise.all(workers.map((worker) => worker.waitForOutput(/Nexus worker \S+ started/)));

    const rounds: Round[] = [];
    // Round 0 warms both sides up (JIT, caches, connections) and is not counted.
    for (let round = 0; round <= ROUNDS; round++) {
      const ours = await nexusRound(base, key, db, round);
      // Raw BullMQ with the same workers × concurrency while the Nexus workers sit idle.
      const raw = await rawBullmqJobsPerSecond(REDIS_URL, `bench-raw-${suffix}-${round}`, JOBS, WORKERS, CONCURRENCY);
      if (round > 0) rounds.push({ ...ours, raw });
    }
    const { rows: doubles } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM jobs WHERE type = 'system.noop' AND attempt_count <> 1`);
    const doubleRuns = doubles[0]?.n ?? -1;
    const succeeded = rounds.reduce((sum, round) => sum + round.succeeded, 0);
    const submitErrors = rounds.reduce((sum, round) => sum + round.submitErrors, 0);
    const jobsPerSecond = median(rounds.map((round) => round.jobsPerSecond));
    const raw = median(rounds.map((round) => round.raw));
    const ratio = median(rounds.map((round) => round.jobsPerSecond / round.raw));
    const ok = succeeded === JOBS * ROUNDS && submitErrors === 0 && doubleRuns === 0 && ratio >= 0.3 && jobsPerSecond >= 500;
    process.stdout.write(
      `bench jobs.end_to_end jobs=${JOBS} rounds=${ROUNDS} workers=${WORKERS} concurrency=${CONCURRENCY} ` +
        `submit_per_s=${median(rounds.map((round) => round.submitPerSecond)).toFixed(0)} succeeded=${succeeded} double_runs=${doubleRuns} ` +
        `jobs_per_s=${jobsPerSecond.toFixed(0)} raw_bullmq_jobs_per_s=${raw.toFixed(0)} ratio=${ratio.toFixed(2)} ` +
        `round_ratios=${rounds.map((round) => (round.jobsPerSecond / round.raw).toFixed(2)).join('/')} ` +
        `target=ratio>=0.30&&jobs_per_s>=500 ${ok ? 'PASS' : 'FAIL'}\n`,
    );
    process.exitCode = ok ? 0 : 1;
  } finally {
    await db.end().catch(() => undefined);
    await Promise.all(workers.map((worker) => worker.stop()));
    await api.stop();
    await database.drop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
