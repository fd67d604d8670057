import { createTestDatabase } from '@nexus/storage-models/testing';
import type { TestDatabase } from '@nexus/storage-models/testing';
import { tuple } from './rebac-e2e-client';
import type { ApiUnderTest } from './support/api-under-test';
import { createKey, newAdminKey, startApi } from './support/api-under-test';

const FILES = 20;
const READERS = 50;
const BURST = 300;

interface Answer {
  status: number;
  retryAfter: string | null;
  body: {
    allowed?: boolean;
    error?: string;
    details?: Record<string, unknown>;
    results?: { allowed: boolean }[];
  };
}

/** `/overload/f<file>` viewer for user u<user>: readers (u0…u49) may view, the others may not. */
function checkBody(file: number, user: number) {
  return tuple(`file:/overload/f${file}`, 'viewer', `user:u${user}`);
}

describe('rebac admission control over HTTP (one evaluation at a time, no wait queue)', () => {
  const adminKey = newAdminKey();
  let database: TestDatabase;
  let api: ApiUnderTest;
  let viewerKey: string;
  let nextUser = 0;

  const send = async (path: string, body: unknown): Promise<Answer> => {
    const response = await fetch(`${api.baseUrl}/api/v1/rebac/${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${viewerKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return {
      status: response.status,
      retryAfter: response.headers.get('retry-after'),
      body: (await response.json()) as Answer['body'],
    };
  };

  /** BURST distinct checks never asked before (cold: neither cached nor joined), all sent at once. */
  const coldBurst = () =>
    Promise.all(
      Array.from({ length: BURST }, (_, i) => {
        const user = nextUser++;
        return send('check', checkBody(i % FILES, user)).then((answer) => ({
          answer,
          reader: user < READERS,
        }));
      }),
    );

  beforeAll(async () => {
    database = await createTestDatabase('nexus_api_rebac_overload');
    api = await startApi(database.url, adminKey, {
      NEXUS_REBAC_MAX_CONCURRENT_EVALUATIONS: '1',
      NEXUS_REBAC_MAX_QUEUED_CHECKS: '0',
    });
    viewerKey = await createKey(api, adminKey, 'viewer', 'overload-viewer');
    const operatorKey = await createKey(api, adminKey, 'operator', 'overload-operator');
    const writes = [
      tuple('file:/overload', 'viewer', 'group:readers#member'),
      ...Array.from({ length: FILES }, (_, i) => tuple(`file:/overload/f${i}`, 'parent', 'file:/overload')),
      ...Array.from({ length: READERS }, (_, i) => tuple('group:readers', 'member', `user:u${i}`)),
    ];
    const seeded = await api.call('POST', '/api/v1/rebac/tuples', operatorKey, { writes });
    expect(seeded.status).toBe(200);
  }, 60_000);

  afterAll(async () => {
    await api?.app.close();
    await database?.drop();
  });

  it('sheds the excess of a burst with 503 + Retry-After and answers the rest correctly', async () => {
    // Which checks find the one evaluation busy depends on arrival timing: a few bursts make a shed certain.
    const answers: Awaited<ReturnType<typeof coldBurst>> = [];
    for (let round = 0; round < 5 && !answers.some(({ answer }) => answer.status === 503); round++)
      answers.push(...(await coldBurst()));

    const shed = answers.filter(({ answer }) => answer.status === 503);
    const answered = answers.filter(({ answer }) => answer.status === 200);
    expect(shed.length).toBeGreaterThan(0);
    expect(answered.length).toBeGreaterThan(0);
    expect(shed.length + answered.length).toBe(answers.length);
    for (const { answer } of shed) {
      expect(answer.retryAfter).toBe('1');
      expect(answer.body).toMatchObject({
        error: 'REBAC_OVERLOADED',
        details: { retryAfterSeconds: 1, maxConcurrentEvaluations: 1, maxQueuedChecks: 0 },
      });
    }
    for (const { answer, reader } of answered) expect(answer.body.allowed).toBe(reader);
  }, 60_000);

  it('answers normally after the burst: single checks and a batch check', async () => {
    for (const user of [READERS - 1, READERS, READERS + 1_000_000]) {
      const answer = await send('check', checkBody(3, user));
      expect(answer).toMatchObject({ status: 200, retryAfter: null, body: { allowed: user < READERS } });
    }
    // Readers and never-asked users alike: one evaluation answers the batch, each check its own answer.
    const users = [
      ...Array.from({ length: READERS }, (_, i) => i),
      ...Array.from({ length: 50 }, (_, i) => 3_000_000 + i),
    ];
    const batch = await send('check/batch', { checks: users.map((user, i) => checkBody(i % FILES, user)) });
    expect(batch.status).toBe(200);
    expect(batch.body.results?.map((result) => result.allowed)).toEqual(users.map((user) => user < READERS));
  });
});
