/**
 * Job throughput: one API process and WORKERS worker processes on PostgreSQL and
 * Redis. Submits JOBS system.noop jobs over HTTP, then measures how fast they
 * all reach `succeeded`, and checks that no job ran twice (attemptCount 1).
 *   npm run bench:jobs   (JOBS, WORKERS, CONCURRENCY override the defaults)
 */
import { randomBytes } from 'node:crypto';
import { freePort, startNexusProcess } from '@nexus/core/testing';
import type { NexusProcess } from '@nexus/core/testing';
import { createTestDatabase } from '@nexus/storage-models/testing';
import { Client } from 'pg';

const JOBS = Number(process.env.JOBS ?? 2_000);
const WORKERS = Number(process.env.WORKERS ?? 2);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 8);
const SUBMITTERS = 16;

async function main(): Promise<void> {
  const database = await createTestDatabase('nexus_bench_jobs');
  const port = await freePort();
  const env = { DATABASE_URL: database.url, LOG_LEVEL: 'warn', NEXUS_JOBS_QUEUE: `bench-jobs-${randomBytes(4).toString('hex')}` };
  const api = startNexusProcess('apps/api/src/main.ts', { ...env, NEXUS_PORT: String(port) });
  const workers: NexusProcess[] = [];
  const db = new Client({ connectionString: database.url });
  try {
    const [, adminKey] = await api.waitForOutput(/Bootstrap superuser key created \(shown once, store it now\): (\S+?)"/);
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 200 && !(await fetch(`${base}/healthz`).then((r) => r.ok, () => false)); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const created = await fetch(`${base}/api/v1/auth/keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'bench', subjectType: 'agent', subjectId: 'bench', role: 'operator', rateLimitPerMinute: 1_000_000 }),
    });
    const { key } = (await created.json()) as { key: string };
    await db.connect();
    for (let i = 0; i < WORKERS; i++) {
      workers.push(startNexusProcess('apps/worker/src/main.ts', { ...env, LOG_LEVEL: 'info' }, ['--concurrency', String(CONCURRENCY)]));
    }
    await Promise.all(workers.map((worker) => worker.waitForOutput(/Nexus worker \S+ started/)));

    const started = Date.now();
    let next = 0;
    let submitErrors = 0;
    await Promise.all(
      Array.from({ length: SUBMITTERS }, async () => {
        while (next < JOBS) {
          next++;
          const response = await fetch(`${base}/api/v1/jobs`, {
            method: 'POST',
            headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
            body: JSON.stringify({ type: 'system.noop', payload: {} }),
          });
          if (response.status !== 201) {
            submitErrors++;
            if (submitErrors === 1) process.stderr.write(`submit failed: ${response.status} ${await response.text()}\n`);
          } else await response.arrayBuffer();
        }
      }),
    );
    const submitSeconds = (Date.now() - started) / 1000;
    let done = 0;
    const deadline = Date.now() + 300_000;
    while (Date.now() < deadline) {
      const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM jobs WHERE status = 'succeeded'`);
      done = rows[0]?.n ?? 0;
      if (done >= JOBS - submitErrors) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const totalSeconds = (Date.now() - started) / 1000;
    const { rows: doubles } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM jobs WHERE attempt_count <> 1`);
    const doubleRuns = doubles[0]?.n ?? -1;
    const ok = done === JOBS && submitErrors === 0 && doubleRuns === 0;
    process.stdout.write(
      `bench jobs.noop_throughput jobs=${JOBS} workers=${WORKERS} concurrency=${CONCURRENCY} ` +
        `submit_per_s=${(JOBS / submitSeconds).toFixed(0)} end_to_end_jobs_per_s=${(done / totalSeconds).toFixed(0)} ` +
        `succeeded=${done} submit_errors=${submitErrors} double_runs=${doubleRuns} ${ok ? 'PASS' : 'FAIL'}\n`,
    );
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
