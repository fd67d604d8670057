import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startNexusProcess } from '@nexus/core/testing';
import type { NexusProcess } from '@nexus/core/testing';
import { eventually } from '@nexus/jobs/testing';
import { createTestDatabase } from '@nexus/storage-models/testing';
import { WebhookReceiver } from '@nexus/subscriptions/testing';
import type { TestDatabase } from '@nexus/storage-models/testing';
import { Client } from 'pg';
import { createKey, newAdminKey, startApi } from './support/api-under-test';
import type { ApiUnderTest } from './support/api-under-test';
import { listDeliveries, putFile } from './support/webhook-delivery';
import type { Delivery } from './support/webhook-delivery';

const WORKER_MAIN = 'apps/worker/src/main.ts';

interface Created {
  id: string;
  secret: string;
}

interface Subscription {
  enabled: boolean;
  stats: {
    lastDeliveryAt: string | null;
    lastStatus: string | null;
    consecutiveFailures: number;
    succeededMessages: number;
    failedMessages: number;
    successRate: number | null;
    disabledReason: string | null;
  };
}

/** API and worker settings the deliveries here run under: http to the local receiver, a short schedule. */
const DELIVERY_ENV = {
  NEXUS_WEBHOOK_ALLOW_HTTP: 'true',
  NEXUS_WEBHOOK_ALLOW_HOSTS: '127.0.0.1',
  NEXUS_WEBHOOK_RETRY_SCHEDULE: '0,300ms,600ms',
  NEXUS_WEBHOOK_MAX_FAILURES: '2',
};

/**
 * Webhook delivery end to end: the real API writes files and manages
 * subscriptions, a real worker process relays the events and delivers them, and
 * a local receiver verifies every request with the `standardwebhooks` library.
 */
describe('webhook delivery (API, worker process, receiver)', () => {
  let database: TestDatabase;
  let api: ApiUnderTest;
  let worker: NexusProcess;
  let receiver: WebhookReceiver;
  let db: Client;
  let operator: string;
  let editor: string;
  let metricsPort: number;

  beforeAll(async () => {
    database = await createTestDatabase('nexus_webhook_delivery');
    receiver = await new WebhookReceiver().start();
    const env = {
      ...DELIVERY_ENV,
      NEXUS_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      NEXUS_JOBS_QUEUE: `test-webhooks-${randomBytes(4).toString('hex')}`,
      NEXUS_DATA_DIR: mkdtempSync(join(tmpdir(), 'nexus-webhooks-')),
    };
    const admin = newAdminKey();
    api = await startApi(database.url, admin, env);
    operator = await createKey(api, admin, 'operator', 'hooks-operator');
    editor = await createKey(api, admin, 'editor', 'hooks-editor');
    metricsPort = await freePort();
    worker = startNexusProcess(WORKER_MAIN, {
      ...env,
      DATABASE_URL: database.url,
      NEXUS_JOB_RETENTION_DAYS: '0',
      NEXUS_WORKER_METRICS_PORT: String(metricsPort),
    });
    await worker.waitForOutput(/Nexus worker \S+ started/, 90_000);
    db = new Client({ connectionString: database.url });
    await db.connect();
  }, 120_000);

  afterAll(async () => {
    await worker?.stop('SIGTERM');
    await db?.end();
    await api?.app.close();
    await receiver?.close();
    await database?.drop();
  }, 60_000);

  async function subscribe(route: string, body: Record<string, unknown> = {}): Promise<Created> {
    const reply = await api.call<Created>('POST', '/api/v1/subscriptions', operator, {
      url: receiver.url(route),
      eventTypes: ['file_write'],
      patterns: [`/${route}/**`],
      ...body,
    });
    expect(reply.status).toBe(201);
    receiver.addSecret(route, reply.body.secret);
    return reply.body;
  }

  async function subscription(id: string): Promise<Subscription> {
    const reply = await api.call<Subscription>('GET', `/api/v1/subscriptions/${id}`, operator);
    expect(reply.status).toBe(200);
    return reply.body;
  }

  const pathOf = (body: string): string => (JSON.parse(body) as { path: string }).path;

  it('delivers matching file writes signed per Standard Webhooks, and nothing else', async () => {
    const created = await subscribe('docs');
    await putFile(api, editor, '/elsewhere/skip.md');
    await putFile(api, editor, '/docs/one.md', 'hello');
    const [request] = await receiver.waitFor('docs', 1);
    if (!request) throw new Error('no request');

    expect(request.verifiedWith).toEqual([created.secret]);
    expect(request.headers['webhook-id']).toMatch(/^msg_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(Math.abs(Number(request.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(30);
    expect(request.headers['content-type']).toBe('application/json');
    const body = JSON.parse(request.body) as {
      type: string;
      path: string;
      data: { path: string; size: number };
    };
    expect(body).toMatchObject({ type: 'file_write', path: '/docs/one.md', data: { path: '/docs/one.md' } });

    await eventually(async () => {
      const [delivery] = await listDeliveries(api, operator, created.id);
      expect(delivery).toMatchObject({
        messageId: request.headers['webhook-id'],
        eventType: 'file_write',
        status: 'succeeded',
        attempts: 1,
        responseStatus: 204,
        lastError: null,
        nextAttemptAt: null,
      });
      expect(delivery?.latencyMs).toEqual(expect.any(Number));
    });
    expect(receiver.for('docs').map((r) => pathOf(r.body))).toEqual(['/docs/one.md']);
    const stats = (await subscription(created.id)).stats;
    expect(stats).toMatchObject({
      lastStatus: 'succeeded',
      consecutiveFailures: 0,
      succeededMessages: 1,
      successRate: 1,
    });
  });

  it('signs under the old and the new secret during a rotation', async () => {
    const created = await subscribe('rotating');
    const rotated = await api.call<{ secret: string }>(
      'POST',
      `/api/v1/subscriptions/${created.id}/rotate-secret`,
      operator,
    );
    expect(rotated.status).toBe(200);
    receiver.addSecret('rotating', rotated.body.secret);
    await putFile(api, editor, '/rotating/a.md');
    const [request] = await receiver.waitFor('rotating', 1);

    expect(request?.verifiedWith).toEqual([created.secret, rotated.body.secret]);
    expect(String(request?.headers['webhook-signature']).split(' ')).toHaveLength(2);
  });

  it('retries 500s on the schedule with the same webhook-id, then succeeds', async () => {
    const created = await subscribe('flaky');
    receiver.answer('flaky', (_request, nth) => ({ status: nth <= 2 ? 500 : 200 }));
    await putFile(api, editor, '/flaky/a.md');
    const requests = await receiver.waitFor('flaky', 3);

    expect(new Set(requests.map((r) => r.headers['webhook-id'])).size).toBe(1);
    expect(requests.every((r) => r.verifiedWith.length === 1)).toBe(true);
    // 300 ms and 600 ms, less the 10 % jitter (and never much more than the schedule plus a poll).
    const [first, second, third] = requests.map((r) => r.at) as [number, number, number];
    expect(second - first).toBeGreaterThanOrEqual(260);
    expect(third - second).toBeGreaterThanOrEqual(530);
    expect(third - first).toBeLessThan(10_000);
    await eventually(async () =>
      expect((await listDeliveries(api, operator, created.id))[0]).toMatchObject({
        status: 'succeeded',
        attempts: 3,
        responseStatus: 200,
      }),
    );
    expect((await subscription(created.id)).stats).toMatchObject({
      consecutiveFailures: 0,
      succeededMessages: 1,
    });
  });

  it('waits as long as a 503 Retry-After asks (longer than the schedule)', async () => {
    await subscribe('busy');
    receiver.answer('busy', (_request, nth) =>
      nth === 1 ? { status: 503, headers: { 'retry-after': '2' } } : { status: 204 },
    );
    await putFile(api, editor, '/busy/a.md');
    const [first, second] = (await receiver.waitFor('busy', 2)).map((r) => r.at) as [number, number];

    expect(second - first).toBeGreaterThanOrEqual(1_900);
  });

  it('a 410 disables the subscription at once, audited, with a subscription.disabled event', async () => {
    const created = await subscribe('gone');
    receiver.answer('gone', () => ({ status: 410 }));
    await putFile(api, editor, '/gone/a.md');
    await receiver.waitFor('gone', 1);
    await eventually(async () =>
      expect(await subscription(created.id)).toMatchObject({
        enabled: false,
        stats: { disabledReason: 'HTTP 410 Gone', failedMessages: 1 },
      }),
    );
    const audit = await db.query(
      `SELECT details FROM audit_log WHERE action = 'subscription_disabled' AND resource_id = $1`,
      [created.id],
    );
    expect(audit.rows[0]?.details).toMatchObject({ reason: 'HTTP 410 Gone' });
    expect(JSON.stringify(audit.rows)).not.toContain('whsec_');
    const events = await db.query(
      `SELECT payload FROM outbox_events WHERE type = 'subscription.disabled' AND aggregate_id = $1`,
      [created.id],
    );
    expect(events.rows).toHaveLength(1);

    await putFile(api, editor, '/gone/b.md');
    await putFile(api, editor, '/docs/after-gone.md');
    await receiver.waitFor('docs', receiver.for('docs').length + 1);
    expect(receiver.for('gone')).toHaveLength(1);
  });

  it('does not follow a redirect: it is a failed attempt, retried until given up', async () => {
    const created = await subscribe('redirect');
    receiver.answer('redirect', () => ({ status: 302, headers: { location: receiver.url('target') } }));
    await putFile(api, editor, '/redirect/a.md');
    await receiver.waitFor('redirect', 3);
    await eventually(async () =>
      expect((await listDeliveries(api, operator, created.id))[0]).toMatchObject({
        status: 'failed',
        attempts: 3,
        responseStatus: 302,
        lastError: 'HTTP 302 redirect (not followed)',
      }),
    );
    expect(receiver.for('target')).toHaveLength(0);
  });

  it('webhook-delivery: abort ends the retries; a manual retry sends the message again with its webhook-id', async () => {
    const created = await subscribe('abort');
    receiver.answer('abort', (_request, nth) =>
      nth === 1 ? { status: 500, headers: { 'webhook-delivery': 'abort' } } : { status: 204 },
    );
    await putFile(api, editor, '/abort/a.md');
    const [first] = await receiver.waitFor('abort', 1);
    let failed: Delivery | undefined;
    await eventually(async () => {
      [failed] = await listDeliveries(api, operator, created.id);
      expect(failed).toMatchObject({ status: 'failed', attempts: 1, responseStatus: 500 });
    });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(receiver.for('abort')).toHaveLength(1);

    const retried = await api.call<Delivery>(
      'POST',
      `/api/v1/subscriptions/${created.id}/deliveries/${failed?.id}/retry`,
      operator,
    );
    expect(retried.status).toBe(202);
    expect(retried.body.status).toBe('pending');
    const [, second] = await receiver.waitFor('abort', 2);
    expect(second?.headers['webhook-id']).toBe(first?.headers['webhook-id']);
    await eventually(async () =>
      expect((await listDeliveries(api, operator, created.id))[0]).toMatchObject({
        status: 'succeeded',
        attempts: 2,
      }),
    );
    const again = await api.call(
      'POST',
      `/api/v1/subscriptions/${created.id}/deliveries/${failed?.id}/retry`,
      operator,
    );
    expect(again.status).toBe(409);
  });

  it('disables a subscription after NEXUS_WEBHOOK_MAX_FAILURES consecutive failed messages', async () => {
    const created = await subscribe('down');
    receiver.answer('down', () => ({ status: 500 }));
    await putFile(api, editor, '/down/a.md');
    await putFile(api, editor, '/down/b.md');
    await receiver.waitFor('down', 6);
    await eventually(async () =>
      expect(await subscription(created.id)).toMatchObject({
        enabled: false,
        stats: {
          consecutiveFailures: 2,
          failedMessages: 2,
          successRate: 0,
          disabledReason: '2 consecutive failed messages',
        },
      }),
    );
    const enabled = await api.call<Subscription>('PATCH', `/api/v1/subscriptions/${created.id}`, operator, {
      enabled: true,
    });
    expect(enabled.body).toMatchObject({
      enabled: true,
      stats: { consecutiveFailures: 0, disabledReason: null },
    });
  });

  it('ordered: one message at a time in event order, the next waiting while the first is retried', async () => {
    await subscribe('ordered', { ordered: true });
    let inFlight = 0;
    let overlapped = false;
    receiver.answer('ordered', (_request, nth) => {
      if (inFlight > 0) overlapped = true;
      inFlight += 1;
      setTimeout(() => (inFlight -= 1), 50);
      return { status: nth === 1 ? 500 : 204, delayMs: 50 };
    });
    for (const name of ['1', '2', '3', '4', '5']) await putFile(api, editor, `/ordered/${name}.md`);
    const requests = await receiver.waitFor('ordered', 6);

    expect(requests.map((r) => pathOf(r.body))).toEqual([
      '/ordered/1.md',
      '/ordered/1.md',
      '/ordered/2.md',
      '/ordered/3.md',
      '/ordered/4.md',
      '/ordered/5.md',
    ]);
    expect(overlapped).toBe(false);
  });

  it('POST /:id/test sends a signed ping', async () => {
    const created = await subscribe('ping');
    const reply = await api.call<Delivery>('POST', `/api/v1/subscriptions/${created.id}/test`, operator);
    expect(reply.status).toBe(202);
    expect(reply.body).toMatchObject({ eventType: 'ping', status: 'pending', attempts: 0 });
    const [request] = await receiver.waitFor('ping', 1);

    expect(request?.verifiedWith).toEqual([created.secret]);
    expect(request?.headers['webhook-id']).toBe(reply.body.messageId);
    expect(JSON.parse(request?.body ?? '{}')).toMatchObject({
      type: 'ping',
      data: { subscriptionId: created.id },
    });
  });

  it('answers 404 for another subscription id and 400 for a bad status filter or cursor', async () => {
    const created = await subscribe('validation');
    const base = `/api/v1/subscriptions/${created.id}/deliveries`;
    expect((await api.call('GET', `/api/v1/subscriptions/${randomUUID()}/deliveries`, operator)).status).toBe(
      404,
    );
    expect((await api.call('GET', `${base}?status=lost`, operator)).status).toBe(400);
    expect((await api.call('GET', `${base}?cursor=forged`, operator)).status).toBe(400);
    expect((await api.call('GET', base, editor)).status).toBe(403);
  });

  it('counts attempts on the worker’s /metrics', async () => {
    const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    const succeeded = /nexus_webhook_attempts_total\{outcome="succeeded"\} (\d+)/.exec(text);
    expect(Number(succeeded?.[1])).toBeGreaterThan(0);
    expect(text).toMatch(/nexus_webhook_attempts_total\{outcome="retrying"\} [1-9]/);
    expect(text).toMatch(/nexus_webhook_delivery_lag_seconds_count [1-9]/);
  });
});
