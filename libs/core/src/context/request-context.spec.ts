import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import type { Principal } from './principal';
import { RequestContext } from './request-context';

function principal(subjectId: string, overrides: Partial<Principal> = {}): Principal {
  return {
    subjectType: 'user',
    subjectId,
    zoneId: 'zone-1',
    role: 'editor',
    superuser: false,
    keyId: null,
    ...overrides,
  };
}

describe('RequestContext', () => {
  it('has nothing outside a request', () => {
    expect(RequestContext.current()).toBeUndefined();
    expect(RequestContext.requestId()).toBeUndefined();
    expect(RequestContext.principal()).toBeUndefined();
  });

  it('exposes the store inside run and returns what the function returns', () => {
    const store = { requestId: 'req-1' };

    const result = RequestContext.run(store, () => {
      expect(RequestContext.current()).toBe(store);
      expect(RequestContext.requestId()).toBe('req-1');
      expect(RequestContext.principal()).toBeUndefined();
      return 'done';
    });

    expect(result).toBe('done');
    expect(RequestContext.current()).toBeUndefined();
  });

  it('returns the promise of an async function and keeps the context across awaits', async () => {
    const seen = await RequestContext.run({ requestId: 'req-async' }, async () => {
      await sleep(1);
      await nextTurn();
      return RequestContext.requestId();
    });

    expect(seen).toBe('req-async');
  });

  it('follows callbacks scheduled inside the run', async () => {
    const seen = await new Promise<string | undefined>((resolve) => {
      RequestContext.run({ requestId: 'req-timer' }, () => {
        setTimeout(() => resolve(RequestContext.requestId()), 1);
      });
    });

    expect(seen).toBe('req-timer');
  });

  it('attaches the principal to the current request', async () => {
    const alice = principal('alice');

    await RequestContext.run({ requestId: 'req-2' }, async () => {
      RequestContext.setPrincipal(alice);
      await nextTurn();
      expect(RequestContext.principal()).toBe(alice);
      expect(RequestContext.current()).toEqual({ requestId: 'req-2', principal: alice });
    });

    expect(RequestContext.principal()).toBeUndefined();
  });

  it('refuses setPrincipal outside a request', () => {
    expect(() => RequestContext.setPrincipal(principal('mallory'))).toThrow(
      'setPrincipal called outside a request context',
    );
    expect(RequestContext.principal()).toBeUndefined();
  });

  it('keeps concurrent requests apart', async () => {
    const run = (requestId: string, subjectId: string, delays: number[]) =>
      RequestContext.run({ requestId }, async () => {
        const seen: Array<[string | undefined, string | undefined]> = [];
        for (const [index, delay] of delays.entries()) {
          await sleep(delay);
          if (index === 1) RequestContext.setPrincipal(principal(subjectId));
          seen.push([RequestContext.requestId(), RequestContext.principal()?.subjectId]);
        }
        return seen;
      });

    const [a, b, c] = await Promise.all([
      run('req-a', 'alice', [5, 1, 5]),
      run('req-b', 'bob', [1, 5, 1]),
      run('req-c', 'carol', [3, 3, 3]),
    ]);

    expect(a).toEqual([
      ['req-a', undefined],
      ['req-a', 'alice'],
      ['req-a', 'alice'],
    ]);
    expect(b).toEqual([
      ['req-b', undefined],
      ['req-b', 'bob'],
      ['req-b', 'bob'],
    ]);
    expect(c).toEqual([
      ['req-c', undefined],
      ['req-c', 'carol'],
      ['req-c', 'carol'],
    ]);
  });

  it('isolates a nested run and restores the outer one afterwards', async () => {
    await RequestContext.run({ requestId: 'outer' }, async () => {
      RequestContext.setPrincipal(principal('outer-user'));

      await RequestContext.run({ requestId: 'inner' }, async () => {
        expect(RequestContext.requestId()).toBe('inner');
        expect(RequestContext.principal()).toBeUndefined();
        RequestContext.setPrincipal(principal('inner-user', { role: 'admin' }));
        await nextTurn();
        expect(RequestContext.principal()?.subjectId).toBe('inner-user');
      });

      expect(RequestContext.requestId()).toBe('outer');
      expect(RequestContext.principal()?.subjectId).toBe('outer-user');
      expect(RequestContext.principal()?.role).toBe('editor');
    });
  });
});
