import { Logger } from '@nestjs/common';
import { ApiConfig, RateLimitedError, deploymentOf, loadConfig } from '@nexus/core';
import type { Principal } from '@nexus/core';
import type { FastifyReply } from 'fastify';
import type Redis from 'ioredis';
import type { Authenticated } from '../guard/authenticator';
import { RateLimitPolicy } from './rate-limit.policy';
import { RateLimiter } from './rate-limiter';

const TEST_DEPLOYMENT = deploymentOf('test-deployment');

type ExecResult = Array<[Error | null, unknown]> | null;

interface Call {
  key: string;
  delta: number;
}

/** Just enough of ioredis for the limiter: MULTI INCRBY PEXPIRE EXEC, answered by `exec`. */
function fakeRedis(exec: (key: string, delta: number) => Promise<ExecResult>): {
  redis: Redis;
  calls: Call[];
} {
  const calls: Call[] = [];
  const redis = {
    multi() {
      const call = { key: '', delta: 0 };
      const chain = {
        incrby(counterKey: string, delta: number) {
          call.key = counterKey;
          call.delta = delta;
          return chain;
        },
        pexpire() {
          return chain;
        },
        exec() {
          calls.push(call);
          return exec(call.key, call.delta);
        },
      };
      return chain;
    },
  };
  return { redis: redis as unknown as Redis, calls };
}

/** A working Redis: counts per key in memory (share `counts` to model several processes). */
function countingRedis(counts = new Map<string, number>()): { redis: Redis; calls: Call[] } {
  return fakeRedis(async (key, delta) => {
    counts.set(key, (counts.get(key) ?? 0) + delta);
    return [
      [null, counts.get(key)],
      [null, 1],
    ];
  });
}

const failingRedis = () => fakeRedis(() => Promise.reject(new Error("Stream isn't writeable")));
const silentRedis = () => fakeRedis(() => new Promise<ExecResult>(() => undefined));

const FALLBACK = /Redis unavailable for rate limiting/;
// 12:00:10 UTC on some day: 50 s left in the window.
const NOW = Date.UTC(2030, 0, 1, 12, 0, 10);

describe('RateLimiter', () => {
  let warn: jest.SpyInstance;
  let log: jest.SpyInstance;
  const limiterOn = (redis: Redis) => new RateLimiter(redis, TEST_DEPLOYMENT);

  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });

  afterEach(() => {
    warn.mockRestore();
    log.mockRestore();
  });

  const fallbackWarnings = () =>
    warn.mock.calls.filter(([entry]) => FALLBACK.test(JSON.stringify(entry))).length;

  it('counts in one-minute windows through Redis and refuses past the limit', async () => {
    const { redis, calls } = countingRedis();
    const limiter = limiterOn(redis);
    const decisions = [];
    for (let i = 0; i < 4; i += 1) decisions.push(await limiter.consume('key:a', 3, NOW));

    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false]);
    expect(decisions.map((d) => d.remaining)).toEqual([2, 1, 0, 0]);
    expect(decisions[3]).toMatchObject({
      limit: 3,
      resetAt: Date.UTC(2030, 0, 1, 12, 1, 0) / 1000,
      retryAfterSeconds: 50,
    });
    expect(decisions[0]?.retryAfterSeconds).toBe(0);
    expect(calls).toEqual(
      Array.from({ length: 4 }, () => ({ key: `nexus:test-deployment:rl:key:a:${Math.floor(NOW / 60_000)}`, delta: 1 })),
    );
    expect(fallbackWarnings()).toBe(0);
  });

  it('starts afresh in the next window and keeps buckets apart', async () => {
    const { redis } = countingRedis();
    const limiter = limiterOn(redis);
    await limiter.consume('key:a', 1, NOW);
    expect((await limiter.consume('key:a', 1, NOW)).allowed).toBe(false);
    expect((await limiter.consume('key:b', 1, NOW)).allowed).toBe(true);
    expect((await limiter.consume('key:a', 1, NOW + 60_000)).allowed).toBe(true);
  });

  it('never says retry after less than a second', async () => {
    const { redis } = countingRedis();
    const limiter = limiterOn(redis);
    const lastMoment = Date.UTC(2030, 0, 1, 12, 0, 59, 999);
    await limiter.consume('key:a', 1, lastMoment);
    expect((await limiter.consume('key:a', 1, lastMoment)).retryAfterSeconds).toBe(1);
  });

  it('falls back to counting locally when Redis fails, still limits, and logs it once', async () => {
    const { redis, calls } = failingRedis();
    const limiter = limiterOn(redis);
    const allowed = [];
    for (let i = 0; i < 6; i += 1) allowed.push((await limiter.consume('key:x', 4, NOW)).allowed);

    expect(allowed).toEqual([true, true, true, true, false, false]);
    expect(calls).toHaveLength(6); // it keeps trying Redis
    expect(fallbackWarnings()).toBe(1);
  });

  it('falls back when Redis does not answer within its timeout, without failing the request', async () => {
    const { redis } = silentRedis();
    const limiter = limiterOn(redis);
    const started = Date.now();
    const first = await limiter.consume('key:y', 1, NOW);
    const second = await limiter.consume('key:y', 1, NOW);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect([first.allowed, second.allowed]).toEqual([true, false]);
    expect(fallbackWarnings()).toBe(1);
  });

  it('treats a malformed Redis reply like an outage', async () => {
    const { redis } = fakeRedis(async () => [[new Error('WRONGTYPE'), undefined]]);
    const limiter = limiterOn(redis);
    expect((await limiter.consume('key:z', 1, NOW)).allowed).toBe(true);
    expect((await limiter.consume('key:z', 1, NOW)).allowed).toBe(false);
    expect(fallbackWarnings()).toBe(1);
  });

  it('far from the limit reserves blocks: one Redis round trip for many requests', async () => {
    const { redis, calls } = countingRedis();
    const limiter = limiterOn(redis);
    const now = Date.now();
    // limit 1000: headroom 200, blocks of 50
    for (let i = 0; i < 100; i += 1) {
      const decision = await limiter.consume('key:batch', 1000, now);
      expect(decision).toMatchObject({ allowed: true, remaining: 1000 - (i + 1) });
    }
    const key = `nexus:test-deployment:rl:key:batch:${Math.floor(now / 60_000)}`;
    expect(calls).toEqual([
      { key, delta: 50 },
      { key, delta: 50 },
    ]);
  });

  it('lets concurrent requests of one bucket share a block instead of each reserving one', async () => {
    const { redis, calls } = countingRedis();
    const limiter = limiterOn(redis);
    const decisions = await Promise.all(
      Array.from({ length: 40 }, () => Promise.resolve(limiter.consume('key:herd', 1000))),
    );
    expect(decisions.every((decision) => decision.allowed)).toBe(true);
    expect(calls).toHaveLength(1);
    expect(new Set(decisions.map((decision) => decision.remaining)).size).toBe(40);
  });

  it('admits no more than the limit left by other processes, then asks Redis one request at a time', async () => {
    const counts = new Map<string, number>();
    const { redis, calls } = countingRedis(counts);
    const limiter = limiterOn(redis);
    const now = Date.now();
    counts.set(`nexus:test-deployment:rl:key:near:${Math.floor(now / 60_000)}`, 970); // other processes used most of it
    const allowed: boolean[] = [];
    for (let i = 0; i < 40; i += 1) allowed.push((await limiter.consume('key:near', 1000, now)).allowed);
    expect(allowed.filter(Boolean)).toHaveLength(30);
    // not knowing yet, it reserved one block (of which 30 counts were within the limit); then one by one
    expect(calls[0]?.delta).toBe(50);
    expect(calls.slice(1).every((call) => call.delta === 1)).toBe(true);
  });

  it('near the limit asks Redis on every request, so two processes share one exact limit', async () => {
    const counts = new Map<string, number>();
    const a = limiterOn(countingRedis(counts).redis);
    const b = limiterOn(countingRedis(counts).redis);
    const allowed: boolean[] = [];
    for (let i = 0; i < 10; i += 1)
      allowed.push((await (i % 2 ? b : a).consume('key:shared', 5, NOW)).allowed);
    expect(allowed).toEqual([true, true, true, true, true, false, false, false, false, false]);
    expect([...counts.values()]).toEqual([10]);
  });

  it('never lets processes together exceed a large limit, however they burst', async () => {
    const counts = new Map<string, number>();
    const processes = [1, 2, 3].map(() => limiterOn(countingRedis(counts).redis));
    const now = Date.now();
    let allowed = 0;
    // each process takes a burst far larger than the limit before any flush could run
    for (const limiter of processes) {
      for (let i = 0; i < 150; i += 1)
        if ((await limiter.consume('key:burst', 100, now)).allowed) allowed += 1;
    }
    expect(allowed).toBe(100);
    // and interleaved, concurrently
    const more = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        Promise.resolve(processes[i % 3]!.consume('key:burst2', 100, now)),
      ),
    );
    expect(more.filter((decision) => decision.allowed)).toHaveLength(100);
  });

  it('with Redis away and a large limit, still limits (locally) and logs once', async () => {
    const { redis } = failingRedis();
    const limiter = limiterOn(redis);
    const now = Date.now();
    let allowed = 0;
    // limit 400: it would reserve blocks of 20 if Redis answered
    for (let i = 0; i < 450; i += 1) if ((await limiter.consume('key:big', 400, now)).allowed) allowed += 1;
    expect(allowed).toBe(400);
    expect(fallbackWarnings()).toBe(1);
  });

  it('says when Redis is back, and logs a later outage again', async () => {
    let up = false;
    const counts = new Map<string, number>();
    const { redis } = fakeRedis(async (key, delta) => {
      if (!up) throw new Error('down');
      counts.set(key, (counts.get(key) ?? 0) + delta);
      return [[null, counts.get(key)]];
    });
    const limiter = limiterOn(redis);
    await limiter.consume('key:r', 10, NOW);
    up = true;
    await limiter.consume('key:r', 10, NOW);
    expect(log).toHaveBeenCalledWith('Rate limiting is shared through Redis again');
    up = false;
    await limiter.consume('key:r', 10, NOW);
    expect(fallbackWarnings()).toBe(2);
  });
});

describe('RateLimitPolicy', () => {
  const policyOnFakeRedis = () => new RateLimitPolicy(new RateLimiter(countingRedis().redis, TEST_DEPLOYMENT), config);

  const config = loadConfig(ApiConfig, {
    NEXUS_RATE_LIMIT_VIEWER: '11',
    NEXUS_RATE_LIMIT_EDITOR: '12',
    NEXUS_RATE_LIMIT_OPERATOR: '13',
    NEXUS_RATE_LIMIT_ADMIN: '14',
    NEXUS_RATE_LIMIT_ANONYMOUS: '2',
  });

  function fakeReply(): { reply: FastifyReply; headers: Record<string, string> } {
    const headers: Record<string, string> = {};
    const reply = {
      header(name: string, value: string) {
        headers[name] = value;
        return reply;
      },
    };
    return { reply: reply as unknown as FastifyReply, headers };
  }

  const authenticated = (
    role: Principal['role'],
    rateLimitPerMinute: number | null,
    keyId: string,
  ): Authenticated => ({
    principal: { subjectType: 'agent', subjectId: 'a', zoneId: 'z', role, superuser: false, keyId },
    rateLimitPerMinute,
    keyPrefix: 'nx_z_abcdef',
    credential: 'api_key',
  });

  it.each([
    ['viewer', 11],
    ['editor', 12],
    ['operator', 13],
    ['admin', 14],
  ] as const)('applies the %s default (%i per minute)', async (role, limit) => {
    const policy = policyOnFakeRedis();
    const { reply, headers } = fakeReply();
    await policy.enforceForKey(authenticated(role, null, `k-${role}`), reply);
    expect(headers['X-RateLimit-Limit']).toBe(String(limit));
    expect(headers['X-RateLimit-Remaining']).toBe(String(limit - 1));
    expect(Number(headers['X-RateLimit-Reset'])).toBeGreaterThan(Date.now() / 1000);
  });

  it('prefers the key’s own limit and refuses with RATE_LIMITED and retry-after', async () => {
    const policy = policyOnFakeRedis();
    const { reply, headers } = fakeReply();
    const key = authenticated('admin', 1, 'k-own');
    await policy.enforceForKey(key, reply);
    await expect(policy.enforceForKey(key, reply)).rejects.toBeInstanceOf(RateLimitedError);
    expect(headers['X-RateLimit-Limit']).toBe('1');
    expect(headers['X-RateLimit-Remaining']).toBe('0');
  });

  it('limits clients by IP with the anonymous limit', async () => {
    const policy = policyOnFakeRedis();
    const { reply } = fakeReply();
    await policy.enforceForClient('10.0.0.1', reply);
    await policy.enforceForClient('10.0.0.1', reply);
    await expect(policy.enforceForClient('10.0.0.1', reply)).rejects.toMatchObject({ status: 429 });
    await expect(policy.enforceForClient('10.0.0.2', reply)).resolves.toBeUndefined();
  });
});
