import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startNexusProcess } from '@nexus/core/testing';
import type { NexusProcess } from '@nexus/core/testing';
import { createTestDatabase } from '@nexus/storage-models/testing';
import type { TestDatabase } from '@nexus/storage-models/testing';
import { DataSource } from 'typeorm';
import { createKey, newAdminKey, startApi } from './support/api-under-test';
import type { ApiUnderTest } from './support/api-under-test';

jest.setTimeout(180_000);

/** One API (in this process) and one worker (a process) on their own database. */
interface Deployment {
  database: TestDatabase;
  api: ApiUnderTest;
  worker: NexusProcess;
  dataDir: string;
  adminKey: string;
  id: string;
}

async function startDeployment(name: string, overrides: Record<string, string> = {}): Promise<Deployment> {
  const database = await createTestDatabase(`nexus_deploy_${name}`);
  const adminKey = newAdminKey();
  const api = await startApi(database.url, adminKey, { NEXUS_RATE_LIMIT_ANONYMOUS: '3', ...overrides });
  const dataDir = await mkdtemp(join(tmpdir(), `nexus-deploy-${name}-`));
  const worker = startNexusProcess('apps/worker/src/main.ts', {
    DATABASE_URL: database.url,
    NEXUS_DATA_DIR: dataDir,
    NEXUS_WORKER_METRICS_PORT: '0',
    NEXUS_JOB_SWEEP_INTERVAL_MS: '60000',
    LOG_LEVEL: 'info',
    ...overrides,
  });
  await worker.waitForOutput(/Nexus worker \S+ started/, 60_000);
  const [row] = await api.app.get(DataSource).query<{ id: string }[]>('SELECT id FROM deployment_identity');
  return { database, api, worker, dataDir, adminKey, id: row?.id ?? '' };
}

async function stopDeployment(deployment: Deployment | undefined): Promise<void> {
  if (!deployment) return;
  await deployment.worker.stop('SIGTERM');
  await deployment.api.app.close();
  await deployment.database.drop();
  await rm(deployment.dataDir, { recursive: true, force: true });
}

/** Submits `count` no-op jobs and resolves with the time until all of them succeeded. */
async function runNoopJobs(
  deployment: Deployment,
  operator: string,
  count: number,
  timeoutMs: number,
): Promise<number> {
  const started = Date.now();
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const created = await deployment.api.call<{ id: string }>('POST', '/api/v1/jobs', operator, {
      type: 'system.noop',
    });
    expect(created.status).toBe(201);
    ids.push(created.body.id);
  }
  const dataSource = deployment.api.app.get(DataSource);
  for (;;) {
    const [row] = await dataSource.query<{ done: number }[]>(
      `SELECT count(*)::int AS done FROM jobs WHERE id = ANY($1) AND status = 'succeeded'`,
      [ids],
    );
    if (row?.done === count) return Date.now() - started;
    if (Date.now() - started > timeoutMs)
      throw new Error(`${row?.done ?? 0} of ${count} jobs succeeded in ${timeoutMs} ms`);
    await sleep(100);
  }
}

describe('two deployments on one Redis (separate databases)', () => {
  let a: Deployment | undefined;
  let b: Deployment | undefined;

  afterEach(async () => {
    await Promise.all([stopDeployment(a), stopDeployment(b)]);
    a = b = undefined;
  });

  it('keep their own queues, rate limits and key revocations', async () => {
    [a, b] = await Promise.all([startDeployment('a'), startDeployment('b')]);
    expect(a.id).not.toBe(b.id);
    const [operatorA, operatorB] = await Promise.all([
      createKey(a.api, a.adminKey, 'operator', 'ops'),
      createKey(b.api, b.adminKey, 'operator', 'ops'),
    ]);

    // Jobs: each deployment's succeed promptly while the other's run too.
    const [msA, msB] = await Promise.all([
      runNoopJobs(a, operatorA, 20, 5_000),
      runNoopJobs(b, operatorB, 20, 5_000),
    ]);
    expect(Math.max(msA, msB)).toBeLessThan(5_000);
    expect(a.worker.output()).not.toMatch(/does not have/);
    expect(b.worker.output()).not.toMatch(/does not have/);

    // What follows counts against one one-minute rate-limit window: start early enough in one.
    const leftInWindow = 60_000 - (Date.now() % 60_000);
    if (leftInWindow < 5_000) await sleep(leftInWindow + 50);

    // Revocations: revoking every key A's invalidation channel names leaves B's keys working.
    const viewerA = await createKey(a.api, a.adminKey, 'viewer', 'reader');
    const viewerB = await createKey(b.api, b.adminKey, 'viewer', 'reader');
    expect((await b.api.call('GET', '/api/v1/auth/whoami', viewerB)).status).toBe(200);
    const whoA = await a.api.call<{ keyId: string }>('GET', '/api/v1/auth/whoami', viewerA);
    expect((await a.api.call('DELETE', `/api/v1/auth/keys/${whoA.body.keyId}`, a.adminKey)).status).toBe(204);
    expect((await a.api.call('GET', '/api/v1/auth/whoami', viewerA)).status).toBe(401);
    expect((await b.api.call('GET', '/api/v1/auth/whoami', viewerB)).status).toBe(200);
    expect((await b.api.call('GET', '/api/v1/auth/whoami', b.adminKey)).status).toBe(200);

    // Rate limits, last (failed credentials count against the address, the revoked key's
    // 401 above included): the anonymous budget of 127.0.0.1 spent in A leaves B's untouched.
    const statusesA: number[] = [];
    for (let i = 0; i < 4; i += 1)
      statusesA.push((await a.api.call('GET', '/api/v1/auth/whoami', 'nx_default_wrong')).status);
    expect(statusesA).toEqual([401, 401, 429, 429]);
    expect((await b.api.call('GET', '/api/v1/auth/whoami', 'nx_default_wrong')).status).toBe(401);
    expect((await a.api.call('GET', '/api/v1/auth/whoami', 'nx_default_wrong')).status).toBe(429);
  });

  it('on an explicitly shared NEXUS_JOBS_QUEUE, leave each other jobs to their owner and warn once per interval', async () => {
    const shared = { NEXUS_JOBS_QUEUE: `test-shared-${process.pid}-${Date.now()}` };
    [a, b] = await Promise.all([startDeployment('sa', shared), startDeployment('sb', shared)]);
    const [operatorA, operatorB] = await Promise.all([
      createKey(a.api, a.adminKey, 'operator', 'ops'),
      createKey(b.api, b.adminKey, 'operator', 'ops'),
    ]);
    await Promise.all([runNoopJobs(a, operatorA, 20, 30_000), runNoopJobs(b, operatorB, 20, 30_000)]);
    const warnings = [a, b].map(
      (deployment) => deployment.worker.output().match(/does not have, left for their owner/g)?.length ?? 0,
    );
    // Each worker saw some of the other's deliveries, handed them back, and said so once (interval 60 s).
    expect(warnings.reduce((sum, n) => sum + n, 0)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...warnings)).toBeLessThanOrEqual(1);
  });
});
