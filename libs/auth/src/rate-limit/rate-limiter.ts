import type { OnModuleDestroy } from '@nestjs/common';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { REDIS } from '@nexus/core';
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
const FLUSH_INTERVAL_MS = 100;
/** Far from its limit a bucket counts locally and flushes in batches; this close to it, every request asks Redis. */
const MIN_HEADROOM = 20;
const HEADROOM_FRACTION = 0.2;

interface BucketWindow {
  window: number;
  /** The shared count Redis last reported for this window. */
  known: number;
  /** Requests counted here, not yet added in Redis. */
  pending: number;
}

function timeout(ms: number): Promise<never> {
  return new Promise((_, reject) => setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms).unref());
}

const counterKey = (bucket: string, window: number) => `nexus:rl:${bucket}:${window}`;

/**
 * Fixed one-minute windows counted in Redis, so every API process shares them.
 * Far from the limit, requests are counted in process and added to Redis every
 * 100 ms (one round trip for many requests); near the limit every request is an
 * atomic INCRBY, so the limit itself is exact. When Redis does not answer,
 * counting continues in this process (logged once): never unlimited, and the
 * limiter never fails the request.
 */
@Injectable()
export class RateLimiter implements OnModuleDestroy {
  private readonly logger = new Logger('RateLimiter');
  private readonly buckets = new Map<string, BucketWindow>();
  private readonly local = new Map<string, number>();
  private usingLocal = false;
  private readonly flushTimer: NodeJS.Timeout;

  constructor(@Inject(REDIS) private readonly redis: Redis) {
    this.flushTimer = setInterval(() => void this.flush(), FLUSH_INTERVAL_MS);
    this.flushTimer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.flushTimer);
  }

  async consume(bucket: string, limit: number, now = Date.now()): Promise<RateLimitDecision> {
    const window = Math.floor(now / WINDOW_MS);
    const state = this.windowOf(bucket, window);
    const estimate = state.known + state.pending + 1;
    const headroom = Math.max(MIN_HEADROOM, Math.ceil(limit * HEADROOM_FRACTION));
    let count: number;
    if (!this.usingLocal && limit - estimate >= headroom) {
      state.pending++;
      count = estimate;
    } else {
      const delta = state.pending + 1;
      state.pending = 0;
      count = await this.incrementBy(counterKey(bucket, window), delta);
      state.known = Math.max(state.known, count);
    }
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

  private windowOf(bucket: string, window: number): BucketWindow {
    const existing = this.buckets.get(bucket);
    if (existing && existing.window === window) return existing;
    const fresh = { window, known: 0, pending: 0 };
    this.buckets.set(bucket, fresh);
    return fresh;
  }

  /** Adds the locally counted requests of every bucket to Redis in one pipeline. */
  private async flush(): Promise<void> {
    const batch = [...this.buckets.entries()].filter(([, state]) => state.pending > 0);
    if (batch.length === 0) return;
    const deltas = batch.map(([bucket, state]) => {
      const delta = state.pending;
      state.pending = 0;
      return { key: counterKey(bucket, state.window), state, delta };
    });
    const counts = await Promise.all(deltas.map(({ key, delta }) => this.incrementBy(key, delta)));
    counts.forEach((count, index) => {
      const entry = deltas[index];
      if (entry) entry.state.known = Math.max(entry.state.known, count);
    });
    this.pruneOldWindows(Math.floor(Date.now() / WINDOW_MS));
  }

  private async incrementBy(key: string, delta: number): Promise<number> {
    try {
      const results = await Promise.race([
        this.redis.multi().incrby(key, delta).pexpire(key, WINDOW_MS + 1_000).exec(),
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

  private pruneOldWindows(currentWindow: number): void {
    for (const [bucket, state] of this.buckets) if (state.window < currentWindow) this.buckets.delete(bucket);
    for (const key of this.local.keys()) if (!key.endsWith(`:${currentWindow}`)) this.local.delete(key);
  }
}
