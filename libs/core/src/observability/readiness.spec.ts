import type { ReadinessCheck } from './readiness';
import { ReadinessRegistry } from './readiness';

function check(name: string, run: () => Promise<void>): ReadinessCheck {
  return { name, check: run };
}

const ok = () => Promise.resolve();
const never = () => new Promise<void>(() => undefined);

describe('ReadinessRegistry', () => {
  let registry: ReadinessRegistry;

  beforeEach(() => {
    registry = new ReadinessRegistry();
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it('is ready with no checks', async () => {
    await expect(registry.report()).resolves.toEqual({ ready: true, checks: {} });
  });

  it('is ready when every check answers', async () => {
    registry.register(check('postgres', ok));
    registry.register(check('redis', ok));

    await expect(registry.report()).resolves.toEqual({
      ready: true,
      checks: { postgres: { status: 'ok' }, redis: { status: 'ok' } },
    });
  });

  it('is not ready when one check fails, and says why', async () => {
    registry.register(check('postgres', ok));
    registry.register(check('redis', () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6379'))));

    await expect(registry.report()).resolves.toEqual({
      ready: false,
      checks: {
        postgres: { status: 'ok' },
        redis: { status: 'down', error: 'connect ECONNREFUSED 127.0.0.1:6379' },
      },
    });
  });

  it('reports a rejection that is not an Error as text', async () => {
    // A check is third-party code: the registry must cope with a rejection that is not an Error.
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
    registry.register(check('kv', () => Promise.reject('no quorum')));

    await expect(registry.report()).resolves.toEqual({
      ready: false,
      checks: { kv: { status: 'down', error: 'no quorum' } },
    });
  });

  it('reports a check that throws before returning a promise', async () => {
    registry.register({
      name: 'broken',
      check: () => {
        throw new Error('not configured');
      },
    });

    await expect(registry.report()).resolves.toEqual({
      ready: false,
      checks: { broken: { status: 'down', error: 'not configured' } },
    });
  });

  it('replaces a check registered again under the same name', async () => {
    registry.register(check('redis', () => Promise.reject(new Error('old'))));
    registry.register(check('redis', ok));

    await expect(registry.report()).resolves.toEqual({ ready: true, checks: { redis: { status: 'ok' } } });
  });

  it('runs the checks again on every report', async () => {
    const run = jest.fn<Promise<void>, []>().mockRejectedValueOnce(new Error('starting')).mockResolvedValue();
    registry.register(check('postgres', run));

    expect((await registry.report()).ready).toBe(false);
    expect((await registry.report()).ready).toBe(true);
    expect(run).toHaveBeenCalledTimes(2);
  });

  it('reports a check that never answers as down after 2 s', async () => {
    jest.useFakeTimers();
    registry.register(check('postgres', never));
    registry.register(check('redis', ok));
    let settled = false;
    const report = registry.report().finally(() => {
      settled = true;
    });

    await jest.advanceTimersByTimeAsync(1_999);
    expect(settled).toBe(false);
    await jest.advanceTimersByTimeAsync(1);

    await expect(report).resolves.toEqual({
      ready: false,
      checks: {
        postgres: { status: 'down', error: 'postgres did not answer within 2000 ms' },
        redis: { status: 'ok' },
      },
    });
  });

  it('runs the checks in parallel, so two hanging checks take 2 s, not 4 s', async () => {
    jest.useFakeTimers();
    registry.register(check('a', never));
    registry.register(check('b', never));
    let settled = false;
    const report = registry.report().finally(() => {
      settled = true;
    });

    await jest.advanceTimersByTimeAsync(2_000);

    expect(settled).toBe(true);
    const { checks } = await report;
    expect(checks.a?.status).toBe('down');
    expect(checks.b?.status).toBe('down');
  });

  it('leaves no timer behind once the checks have answered', async () => {
    jest.useFakeTimers();
    registry.register(check('postgres', ok));
    registry.register(check('redis', () => Promise.reject(new Error('down'))));

    await registry.report();

    expect(jest.getTimerCount()).toBe(0);
  });
});
