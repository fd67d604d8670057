import { RebacEngine } from '../src/engine/rebac-engine';
import type { RebacTestContext } from './rebac-test-db';
import { createRebacTestContext } from './rebac-test-db';
import { ancestry, file, grant, group, newZone, user } from './service-fixtures';

const DEEP = '/a/b/c/report.pdf';

/**
 * In-process callers (the filesystem's permission gate calls RebacService
 * directly, no HTTP) get the whole check pipeline: cached answers and shared
 * evaluations, on PostgreSQL.
 */
describe('RebacService used in process: caching and coalescing', () => {
  let context: RebacTestContext;
  const zoneId = newZone();

  beforeAll(async () => {
    context = await createRebacTestContext('nexus_rebac_in_process', { stalenessMs: 60_000 });
    await context.tuples.write(zoneId, {
      writes: [
        ...ancestry(DEEP),
        grant(file('/a'), 'viewer', group('staff')),
        grant({ type: 'group', id: 'staff' }, 'member', user('anne')),
      ],
    });
  });

  afterAll(async () => {
    await context?.close();
  });

  /** A process with a cold cache whose zone state is already known (so only evaluation reads remain). */
  async function warmProcess() {
    const warm = await context.newProcess({ stalenessMs: 60_000 });
    expect(await warm.rebac.isAllowed(zoneId, file('/warm-up'), 'viewer', user('anne'))).toBe(false);
    return warm;
  }

  it('answers a repeated gate check from the cache, without a database round trip', async () => {
    const { rebac, checkCache } = await warmProcess();
    expect(await rebac.isAllowed(zoneId, file(DEEP), 'viewer', user('anne'))).toBe(true);
    const before = checkCache.stats();
    // Every statement, prepared or not, goes through the logger.
    const query = jest.spyOn(context.dataSource.logger, 'logQuery');
    try {
      expect(await rebac.isAllowed(zoneId, file(DEEP), 'viewer', user('anne'))).toBe(true);
      await expect(rebac.assertAllowed(zoneId, file(DEEP), 'viewer', user('anne'))).resolves.toBeUndefined();
      expect(query).not.toHaveBeenCalled();
    } finally {
      query.mockRestore();
    }
    expect(checkCache.stats().hits).toBe(before.hits + 2);
  });

  it('evaluates concurrent identical gate checks once', async () => {
    const { rebac } = await warmProcess();
    const evaluations = jest.spyOn(RebacEngine.prototype, 'checkMany');
    // Every statement, prepared or not, goes through the logger.
    const query = jest.spyOn(context.dataSource.logger, 'logQuery');
    try {
      const answers = await Promise.all(
        Array.from({ length: 20 }, () => rebac.isAllowed(zoneId, file(DEEP), 'viewer', user('anne'))),
      );
      expect(answers).toEqual(Array.from({ length: 20 }, () => true));
      expect(evaluations).toHaveBeenCalledTimes(1);
      expect(evaluations.mock.calls[0]?.[0]).toHaveLength(1);
      // The recursive tuple read answers the six-level check in one statement.
      expect(query).toHaveBeenCalledTimes(1);
    } finally {
      evaluations.mockRestore();
      query.mockRestore();
    }
  });

  it('evaluates concurrent different gate checks as one batch, each with its own answer', async () => {
    const { rebac } = await warmProcess();
    const evaluations = jest.spyOn(RebacEngine.prototype, 'checkMany');
    try {
      const answers = await Promise.all([
        rebac.isAllowed(zoneId, file(DEEP), 'viewer', user('anne')),
        rebac.isAllowed(zoneId, file(DEEP), 'editor', user('anne')),
        rebac.isAllowed(zoneId, file('/a/b'), 'viewer', user('anne')),
        rebac.isAllowed(zoneId, file(DEEP), 'viewer', user('mallory')),
      ]);
      expect(answers).toEqual([true, false, true, false]);
      expect(evaluations).toHaveBeenCalledTimes(1);
      expect(evaluations.mock.calls[0]?.[0]).toHaveLength(4);
    } finally {
      evaluations.mockRestore();
    }
  });

  it('answers a batch check with one evaluation and fills the cache for single checks', async () => {
    const { rebac, checkCache } = await warmProcess();
    const checks = ['/a', '/a/b', '/a/b/c', DEEP, '/elsewhere'].map((id) => ({
      object: file(id),
      relation: 'viewer',
      subject: user('anne'),
    }));
    const evaluations = jest.spyOn(RebacEngine.prototype, 'checkMany');
    try {
      const { results } = await rebac.batchCheck(zoneId, { checks });
      expect(results.map((r) => r.allowed)).toEqual([true, true, true, true, false]);
      expect(evaluations).toHaveBeenCalledTimes(1);
      const hits = checkCache.stats().hits;
      expect(await rebac.isAllowed(zoneId, file('/a/b/c'), 'viewer', user('anne'))).toBe(true);
      expect(checkCache.stats().hits).toBe(hits + 1);
      expect(evaluations).toHaveBeenCalledTimes(1);
    } finally {
      evaluations.mockRestore();
    }
  });

  it('fails closed when the check is shed: the gate denies, assertAllowed and batchCheck throw 503, then recovery', async () => {
    // One evaluation at a time and no wait queue: a check arriving while one runs is shed.
    const { rebac } = await context.newProcess({
      stalenessMs: 60_000,
      maxConcurrentEvaluations: 1,
      maxQueuedChecks: 0,
    });
    expect(await rebac.isAllowed(zoneId, file('/warm-up'), 'viewer', user('anne'))).toBe(false);
    const busy = Array.from({ length: 1_000 }, (_, i) => ({
      object: file(`${DEEP}-${i}`),
      relation: 'viewer',
      subject: user(i % 2 ? 'anne' : 'bob'),
    }));
    const running = rebac.batchCheck(zoneId, { checks: busy });
    // The batch's evaluation has started (its statements are on the wire) before these arrive.
    await new Promise((resolve) => setImmediate(resolve));
    const overloaded = { code: 'REBAC_OVERLOADED', status: 503, details: { retryAfterSeconds: 1 } };
    const [gate, asserted, batch] = await Promise.allSettled([
      rebac.isAllowed(zoneId, file(DEEP), 'viewer', user('anne')),
      rebac.assertAllowed(zoneId, file('/a/b'), 'viewer', user('anne')),
      rebac.batchCheck(zoneId, {
        checks: [{ object: file('/a'), relation: 'viewer', subject: user('anne') }],
      }),
    ]);
    expect(gate).toEqual({ status: 'fulfilled', value: false });
    expect(asserted).toMatchObject({ status: 'rejected', reason: overloaded });
    expect(batch).toMatchObject({ status: 'rejected', reason: overloaded });

    const { results } = await running;
    expect(results.every((result) => !result.allowed && !('error' in result))).toBe(true);
    expect(await rebac.isAllowed(zoneId, file(DEEP), 'viewer', user('anne'))).toBe(true);
    await expect(rebac.assertAllowed(zoneId, file('/a/b'), 'viewer', user('anne'))).resolves.toBeUndefined();
  });
});
