import { randomBytes } from 'node:crypto';
import { freePort, startNexusProcess } from '@nexus/core/testing';
import type { NexusProcess } from '@nexus/core/testing';
import { createTestDatabase } from '@nexus/storage-models/testing';
import type { TestDatabase } from '@nexus/storage-models/testing';
import { Client } from 'pg';

/** An API process on a fresh database with an operator key, for the job fault scripts. */
export interface ChaosStack {
  database: TestDatabase;
  db: Client;
  api: NexusProcess;
  base: string;
  key: string;
  env: Record<string, string>;
  startWorker(extra?: Record<string, string>): Promise<{ process: NexusProcess; workerId: string }>;
  submit(body: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** `extraEnv` (e.g. REDIS_URL, NEXUS_DATA_DIR) goes to the API and every worker. */
export async function startChaosStack(
  name: string,
  extraEnv: Record<string, string> = {},
): Promise<ChaosStack> {
  const database = await createTestDatabase(`nexus_chaos_${name}`);
  const port = await freePort();
  const env = {
    DATABASE_URL: database.url,
    LOG_LEVEL: 'warn',
    NEXUS_JOBS_QUEUE: `chaos-${name}-${randomBytes(4).toString('hex')}`,
    ...extraEnv,
  };
  const api = startNexusProcess('apps/api/src/main.ts', { ...env, NEXUS_PORT: String(port) });
  const workers: NexusProcess[] = [];
  const [, adminKey] = await api.waitForOutput(
    /Bootstrap superuser key created \(shown once, store it now\): (\S+?)"/,
  );
  const base = `http://127.0.0.1:${port}`;
  for (
    let i = 0;
    i < 200 &&
    !(await fetch(`${base}/healthz`).then(
      (r) => r.ok,
      () => false,
    ));
    i++
  )
    await sleep(100);
  const created = await fetch(`${base}/api/v1/auth/keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'chaos',
      subjectType: 'agent',
      subjectId: 'chaos',
      role: 'operator',
      rateLimitPerMinute: 1_000_000,
    }),
  });
  const { key } = (await created.json()) as { key: string };
  const db = new Client({ connectionString: database.url });
  await db.connect();
  return {
    database,
    db,
    api,
    base,
    key,
    env,
    async startWorker(extra = {}) {
      const worker = startNexusProcess('apps/worker/src/main.ts', { ...env, LOG_LEVEL: 'info', NEXUS_WORKER_METRICS_PORT: '0', ...extra });
      workers.push(worker);
      const [, workerId] = await worker.waitForOutput(/Nexus worker (\S+) started/);
      return { process: worker, workerId: workerId ?? '' };
    },
    async submit(body) {
      const response = await fetch(`${base}/api/v1/jobs`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (response.status !== 201)
        throw new Error(`submit failed: ${response.status} ${await response.text()}`);
      return ((await response.json()) as { id: string }).id;
    },
    async close() {
      await db.end().catch(() => undefined);
      await Promise.all(workers.map((worker) => worker.stop('SIGKILL')));
      await api.stop();
      await database.drop();
    },
  };
}

/** The fault scripts submit `system.noop` jobs; workers also schedule filesystem maintenance jobs, which do not count. */
export const SCRIPT_JOBS = `jobs WHERE type = 'system.noop'`;

export async function statusCounts(db: Client): Promise<Record<string, number>> {
  const { rows } = await db.query<{ status: string; n: number }>(
    `SELECT status, count(*)::int AS n FROM ${SCRIPT_JOBS} GROUP BY status`,
  );
  return Object.fromEntries(rows.map((row) => [row.status, row.n]));
}

export function report(line: string, ok: boolean): void {
  process.stdout.write(`${line} ${ok ? 'PASS' : 'FAIL'}\n`);
  process.exitCode = ok ? 0 : 1;
}
