import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNexusProcess } from '@nexus/core/testing';
import type { NexusProcess } from '@nexus/core/testing';
import { eventually } from '@nexus/jobs/testing';
import { createTestDatabase } from '@nexus/storage-models/testing';
import { WebhookReceiver } from '@nexus/subscriptions/testing';
import type { ReceivedWebhook } from '@nexus/subscriptions/testing';
import type { TestDatabase } from '@nexus/storage-models/testing';
import { Client } from 'pg';
import { createKey, newAdminKey, startApi } from './support/api-under-test';
import type { ApiUnderTest } from './support/api-under-test';
import { listDeliveries, putFile } from './support/webhook-delivery';

const WORKER_MAIN = 'apps/worker/src/main.ts';
const ROUTE = 'crash';

interface Created {
  id: string;
  secret: string;
}

interface DeliveryJobRow {
  message_id: string;
  delivery_status: string;
  delivery_attempts: number;
  job_status: string | null;
  attempt_count: number | null;
  last_error: string | null;
  next_run_at: Date | null;
}

/** http to the local receiver, a default-length retry schedule (the recovered job still has attempts left). */
const DELIVERY_ENV = {
  NEXUS_WEBHOOK_ALLOW_HTTP: 'true',
  NEXUS_WEBHOOK_ALLOW_HOSTS: '127.0.0.1',
  NEXUS_WEBHOOK_RETRY_SCHEDULE: '0,300ms,600ms',
};

/**
 * Worker settings for a quick recovery of a dead worker's job: a 2 s lease, swept
 * every 500 ms, and a recovered job (attempt 1) due again 1 s after the sweep.
 */
const WORKER_ENV = {
  NEXUS_JOB_LEASE_MS: '2000',
  NEXUS_JOB_SWEEP_INTERVAL_MS: '500',
  RETRY_BACKOFF_SECONDS: '1',
  NEXUS_JOB_RETENTION_DAYS: '0',
  NEXUS_WORKER_METRICS_PORT: '0',
};

/**
 * At-least-once webhook delivery across a worker crash: the worker is killed
 * (SIGKILL) while its POST is in flight; another worker recovers the expired
 * lease and sends the same message again, with the same `webhook-id` and body,
 * and a file written while no worker ran is delivered too.
 */
describe('webhook delivery survives kill -9 of the worker mid-delivery', () => {
  let database: TestDatabase;
  let api: ApiUnderTest;
  let receiver: WebhookReceiver;
  let db: Client;
  let operator: string;
  let editor: string;
  let workerEnv: Record<string, string>;
  const workers: NexusProcess[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('nexus_webhook_crash');
    receiver = await new WebhookReceiver().start();
    const env = {
      ...DELIVERY_ENV,
      NEXUS_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      NEXUS_JOBS_QUEUE: `test-webhook-crash-${randomBytes(4).toString('hex')}`,
      NEXUS_DATA_DIR: mkdtempSync(join(tmpdir(), 'nexus-webhook-crash-')),
    };
    const admin = newAdminKey();
    api = await startApi(database.url, admin, env);
    operator = await createKey(api, admin, 'operator', 'crash-operator');
    editor = await createKey(api, admin, 'editor', 'crash-editor');
    workerEnv = { ...env, ...WORKER_ENV, DATABASE_URL: database.url };
    db = new Client({ connectionString: database.url });
    await db.connect();
  }, 120_000);

  afterAll(async () => {
    for (const worker of workers) await worker.stop('SIGKILL').catch(() => undefined);
    await db?.end();
    await api?.app.close();
    await receiver?.close();
    await database?.drop();
  }, 120_000);

  async function startWorker(): Promise<NexusProcess> {
    const worker = startNexusProcess(WORKER_MAIN, workerEnv);
    workers.push(worker);
    await worker.waitForOutput(/Nexus worker \S+ started/, 90_000);
    return worker;
  }

  /** Each message of the subscription with its job (the job id is the message's `job_id`). */
  async function deliveryJobs(subscriptionId: string): Promise<DeliveryJobRow[]> {
    const result = await db.query<DeliveryJobRow>(
      `SELECT d.message_id, d.status AS delivery_status, d.attempts AS delivery_attempts,
              j.status AS job_status, j.attempt_count, j.last_error, j.next_run_at
         FROM webhook_deliveries d LEFT JOIN jobs j ON j.id = d.job_id AND j.type = 'subscriptions.deliver'
        WHERE d.subscription_id = $1 ORDER BY d.created_at`,
      [subscriptionId],
    );
    return result.rows;
  }

  /** Waits for `count` requests, failing with what the workers and the database say. */
  async function waitForRequests(
    count: number,
    timeoutMs: number,
    subscriptionId: string,
  ): Promise<ReceivedWebhook[]> {
    try {
      return await receiver.waitFor(ROUTE, count, timeoutMs);
    } catch (error) {
      const rows = JSON.stringify(await deliveryJobs(subscriptionId), null, 2);
      const outputs = workers.map((worker, index) => `--- worker ${index}:\n${worker.output()}`).join('\n');
      throw new Error(`${(error as Error).message}\nmessages and jobs: ${rows}\n${outputs}`);
    }
  }

  const pathOf = (request: ReceivedWebhook): string => (JSON.parse(request.body) as { path: string }).path;

  it('redelivers the in-flight message with the same webhook-id and loses nothing written during the outage', async () => {
    const workerA = await startWorker();
    const reply = await api.call<Created>('POST', '/api/v1/subscriptions', operator, {
      url: receiver.url(ROUTE),
      eventTypes: ['file_write'],
      patterns: [`/${ROUTE}/**`],
    });
    expect(reply.status).toBe(201);
    const created = reply.body;
    receiver.addSecret(ROUTE, created.secret);
    // The first request is held far past the kill: worker A dies waiting for the answer.
    receiver.answer(ROUTE, (_request, nth) =>
      nth === 1 ? { status: 204, delayMs: 30_000 } : { status: 204 },
    );

    await putFile(api, editor, '/crash/a.md', 'first');
    const [held] = await waitForRequests(1, 20_000, created.id);
    if (!held) throw new Error('no request');
    expect(pathOf(held)).toBe('/crash/a.md');
    const messageId = held.headers['webhook-id'];
    expect(messageId).toMatch(/^msg_[0-9A-HJKMNP-TV-Z]{26}$/);

    await workerA.stop('SIGKILL');
    expect(workerA.child.signalCode).toBe('SIGKILL');
    // Mid-delivery indeed: nothing recorded on the message, its job still leased to the dead worker.
    expect(await deliveryJobs(created.id)).toEqual([
      expect.objectContaining({
        message_id: messageId,
        delivery_status: 'pending',
        delivery_attempts: 0,
        job_status: 'running',
      }),
    ]);

    // Written while no worker runs: its event waits in the outbox.
    await putFile(api, editor, '/crash/b.md', 'second');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(receiver.for(ROUTE)).toHaveLength(1);

    await startWorker();
    const requests = await waitForRequests(3, 60_000, created.id);

    const forA = requests.filter((request) => pathOf(request) === '/crash/a.md');
    const forB = requests.filter((request) => pathOf(request) === '/crash/b.md');
    expect(forA.length).toBeGreaterThanOrEqual(2);
    expect(forB.length).toBeGreaterThanOrEqual(1);
    const [first, second] = forA as [ReceivedWebhook, ReceivedWebhook];
    expect(second.headers['webhook-id']).toBe(messageId);
    expect(new Set(forA.map((request) => request.headers['webhook-id']))).toEqual(new Set([messageId]));
    expect(second.body).toBe(first.body);
    for (const request of requests) expect(request.verifiedWith).toEqual([created.secret]);
    // Re-signed for the new attempt: a timestamp of its own, not a replay of the held request.
    expect(Number(second.headers['webhook-timestamp'])).toBeGreaterThanOrEqual(
      Number(first.headers['webhook-timestamp']),
    );
    const messageIdOfB = forB[0]?.headers['webhook-id'];
    expect(messageIdOfB).not.toBe(messageId);

    await eventually(async () => {
      const items = await listDeliveries(api, operator, created.id);
      expect(items).toHaveLength(2);
      const ofA = items.filter((item) => item.messageId === messageId);
      expect(ofA).toHaveLength(1);
      expect(ofA[0]).toMatchObject({
        eventType: 'file_write',
        status: 'succeeded',
        responseStatus: 204,
        lastError: null,
      });
      expect(items.find((item) => item.messageId === messageIdOfB)).toMatchObject({
        status: 'succeeded',
        responseStatus: 204,
      });
    }, 20_000);
    // The message's job was recovered from the dead worker's lease and run a second time.
    const [jobOfA] = (await deliveryJobs(created.id)).filter((row) => row.message_id === messageId);
    expect(jobOfA).toMatchObject({ job_status: 'succeeded' });
    expect(jobOfA?.attempt_count).toBeGreaterThanOrEqual(2);
  }, 150_000);
});
