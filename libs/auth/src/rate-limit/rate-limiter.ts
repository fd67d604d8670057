import { Inject, Injectable, Logger } from '@nestjs/common';
import { DEPLOYMENT, REDIS } from '@nexus/core';
import type { Deployment } from '@nexus/core';
import type Redis from 'ioredis';

export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Unix time (seconds) when the window resets. */
  resetAt: number;
  retryAfterSeconds: number;
}

const WINDOW_MS = 60_000;
const REDIS_TIMEOUT_MS = 250;
/** Far from its limit a bucket reserves blocks of requests; this close to it, every request asks Redis. */
const MIN_HEADROOM = 20;
const HEADROOM_FRACTION = 0.2;
/** A block is a quarter of the headroom: an idle process strands at most that much of a window. */
const BLOCKS_PER_HEADROOM = 4;

/** One bucket's window in this process: the block of shared counts it reserved and has not used yet. */
interface Lease {
  window: number;
  /** The shared count the next request admitted from the block takes. */
  next: number;
  /** The last count of the block that is within the limit. */
  last: number;
  /** The shared count Redis last reported for this window. */
  known: number;
  /** A block being reserved: other requests of the bucket wait for it instead of reserving their own. */
  reserving?: Promise<void>;
}

function timeout(ms: number): Promise<never> {
  return new Promise((_, reject) =>
    setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms).unref(),
  );
}

// Under the deployment's prefix: deployments sharing a Redis never share counters.
const counterKey = (prefix: string, bucket: string, window: number) => `${prefix}rl:${bucket}:${window}`;

/**
 * Fixed one-minute windows counted in Redis, so every API process shares them.
 * Far from the limit, a process reserves a block of requests with one INCRBY and
 * admits them without asking again (one round trip for many requests); near the
 * limit every request is an atomic INCRBY. Every admitted request holds a count
 * Redis handed out, so processes together never exceed the limit (an idle process
 * can only leave part of its block unused). When Redis does not answer, counting
 * continues in this process (logged once): never unlimited, and the limiter never
 * fails the request.
 */
@Injectable()
export class RateLimiter {
  private readonly logger = new Logger('RateLimiter');
  private readonly leases = new Map<string, Lease>();
  private readonly local = new Map<string, number>();
  private usingLocal = false;
  private prunedWindow = -1;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(DEPLOYMENT) private readonly deployment: Deployment,
  ) {}

  /**
   * Synchronous while this process holds reserved counts for the bucket (the
   * common case far from the limit); a promise when it must ask Redis.
   */
  consume(bucket: string, limit: number, now = Date.now()): RateLimitDecision | Promise<RateLimitDecision> {
    const window = Math.floor(now / WINDOW_MS);
    this.pruneBefore(window);
    const lease = this.leaseOf(bucket, window);
    if (lease.next <= lease.last) return this.decide(lease.next++, limit, window, now);
    return this.take(lease, counterKey(this.deployment.redisPrefix, bucket, window), limit).then((count) =>
      this.decide(count, limit, window, now),
    );
  }

  private decide(count: number, limit: number, window: number, now: number): RateLimitDecision {
    const resetAt = ((window + 1) * WINDOW_MS) / 1000;
    const allowed = count <= limit;
    return {
      allowed,
      limit,
      remaining: Math.max(0, limit - count),
      resetAt,
      retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil(resetAt - now / 1000)),
    };
  }

  /** The shared count this request takes: the next of this process's reserved block, or a fresh one from Redis. */
  private async take(lease: Lease, key: string, limit: number): Promise<number> {
    for (;;) {
      if (lease.next <= lease.last) return lease.next++;
      if (lease.reserving) {
        await lease.reserving;
        continue;
      }
      const headroom = Math.max(MIN_HEADROOM, Math.ceil(limit * HEADROOM_FRACTION));
      const block = Math.max(1, Math.floor(headroom / BLOCKS_PER_HEADROOM));
      if (this.usingLocal || limit - lease.known < headroom + block) {
        const count = await this.incrementBy(key, 1);
        lease.known = Math.max(lease.known, count);
        return count;
      }
      lease.reserving = this.reserve(lease, key, block, limit).finally(() => {
        lease.reserving = undefined;
      });
      await lease.reserving;
    }
  }

  private async reserve(lease: Lease, key: string, block: number, limit: number): Promise<void> {
    const count = await this.incrementBy(key, block);
    lease.known = Math.max(lease.known, count);
    lease.next = count - block + 1;
    lease.last = Math.min(count, limit);
  }

  private leaseOf(bucket: string, window: number): Lease {
    const existing = this.leases.get(bucket);
    if (existing && existing.window === window) return existing;
    const fresh: Lease = { window, next: 1, last: 0, known: 0 };
    this.leases.set(bucket, fresh);
    return fresh;
  }

  private async incrementBy(key: string, delta: number): Promise<number> {
    try {
      const results = await Promise.race([
        this.redis
          .multi()
          .incrby(key, delta)
          .pexpire(key, WINDOW_MS + 1_000)
          .exec(),
        timeout(REDIS_TIMEOUT_MS),
      ]);
      const count = results?.[0]?.[1];
      if (typeof count !== 'number') throw new Error('unexpected INCRBY reply');
      if (this.usingLocal) {
        this.usingLocal = false;
        this.logger.log('Rate limiting is shared through Redis again');
      }
      return count;
    } catch (error) {
      if (!this.usingLocal) {
        this.usingLocal = true;
        this.logger.warn({
          msg: 'Redis unavailable for rate limiting: counting per process until it is back (limits still apply)',
          err: error,
        });
      }
      const count = (this.local.get(key) ?? 0) + delta;
      this.local.set(key, count);
      return count;
    }
  }

  /** Once per window, forgets the buckets of earlier windows (memory stays bounded by one window's traffic). */
  private pruneBefore(currentWindow: number): void {
    if (currentWindow <= this.prunedWindow) return;
    this.prunedWindow = currentWindow;
    for (const [bucket, lease] of this.leases) if (lease.window < currentWindow) this.leases.delete(bucket);
    for (const key of this.local.keys()) if (!key.endsWith(`:${currentWindow}`)) this.local.delete(key);
  }
}
