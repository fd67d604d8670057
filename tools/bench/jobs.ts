/**
 * Job system end to end (DESIGN.md §5, issue 5): one API process and WORKERS
 * worker processes (--concurrency CONCURRENCY) on PostgreSQL and Redis. Submits
 * JOBS system.noop jobs through the public API (POST /api/v1/jobs/batch, 1000 per
 * call), and measures submit → all `succeeded`; checks no job ran twice
 * (attemptCount 1). In the same run, raw BullMQ (Queue.addBulk + WORKERS Workers of
 * the same concurrency, no-op processor, same Redis) gives the baseline.
 *   npm run bench:jobs   (JOBS, WORKERS, CONCURRENCY override the defaults)
 */
import { randomBytes } from 'node:crypto';
import { freePort, startNexusProcess } from '@nexus/core/testing';
import type { NexusProcess } from '@nexus/core/testing';
import { createTestDatabase } from '@nexus/storage-models/testing';
import { Client } from 'pg';
import { rawBullmqJobsPerSecond } from './lib/raw-bullmq';

const JOBS = Number(process.env.JOBS ?? 10_000);
const WORKERS = Number(process.env.WORKERS ?? 2);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 32);
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

async function main(): Promise<void> {
  const database = await createTestDatabase('nexus_bench_jobs');
  const port = await freePort();
  const suffix = randomBytes(4).toString('hex');
  const env = { DATABASE_URL: database.url, REDIS_URL, LOG_LEVEL: 'warn', NEXUS_JOBS_QUEUE: `bench-jobs-${suffix}` };
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

    const started = Date.now();
    const submitErrors = await submitAll(base, key);
    const submitSeconds = (Date.now() - started) / 1000;
    let done = 0;
    const deadline = Date.now() + 300_000;
    while (Date.now() < deadline) {
      // Only the benchmark's own jobs: workers also schedule filesystem maintenance jobs.
      const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM jobs WHERE type = 'system.noop' AND status = 'succeeded'`);
      done = rows[0]?.n ?? 0;
      if (done >= JOBS - submitErrors) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const jobsPerSecond = done / ((Date.now() - started) / 1000);
    const { rows: doubles } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM jobs WHERE type = 'system.noop' AND attempt_count <> 1`);
    const doubleRuns = doubles[0]?.n ?? -1;
    await Promise.all(workers.map((worker) => worker.stop()));
    workers.length = 0;

    const raw = await rawBullmqJobsPerSecond(REDIS_URL, `bench-raw-${suffix}`, JOBS, WORKERS, CONCURRENCY);
    const ratio = jobsPerSecond / raw;
    const ok = done === JOBS && submitErrors === 0 && doubleRuns === 0 && ratio >= 0.3 && jobsPerSecond >= 500;
    process.stdout.write(
      `bench jobs.end_to_end jobs=${JOBS} workers=${WORKERS} concurrency=${CONCURRENCY} submit_per_s=${(JOBS / submitSeconds).toFixed(0)} ` +
        `succeeded=${done} double_runs=${doubleRuns} jobs_per_s=${jobsPerSecond.toFixed(0)} raw_bullmq_jobs_per_s=${raw.toFixed(0)} ` +
        `ratio=${ratio.toFixed(2)} target=ratio>=0.30&&jobs_per_s>=500 ${ok ? 'PASS' : 'FAIL'}\n`,
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
