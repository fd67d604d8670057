import type { LoggerService } from '@nestjs/common';
import Redis from 'ioredis';

export interface RedisConnectionOptions {
  url: string;
  /** Shown in logs: what this connection is for. */
  purpose: string;
  /** What waits while Redis is away, said once in the log ("background jobs wait for Redis"). */
  waitingMessage: string;
  /**
   * `fail-fast`: commands fail at once while disconnected (readiness probes, rate counters).
   * `queue`: commands wait for the reconnect (BullMQ needs this: maxRetriesPerRequest null).
   */
  mode: 'fail-fast' | 'queue';
}

/** The URL with any password removed, safe to log. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '[unparseable url]';
  }
}

/** Reconnect delay after the n-th failed attempt: 200 ms doubling to a 5 s ceiling. */
export function redisReconnectDelayMs(attempt: number): number {
  return Math.min(200 * 2 ** Math.max(0, attempt - 1), 5_000);
}

/**
 * A Redis connection that never gives up: it reconnects with capped backoff, says
 * once that it is waiting (and what waits), and says when Redis is back.
 */
export function createRedisConnection(options: RedisConnectionOptions, logger: LoggerService): Redis {
  const where = redactUrl(options.url);
  let waiting = false;
  const redis = new Redis(options.url, {
    lazyConnect: false,
    connectTimeout: 2_000,
    enableOfflineQueue: options.mode === 'queue',
    maxRetriesPerRequest: options.mode === 'queue' ? null : 1,
    retryStrategy: (attempt) => {
      if (waiting) logger.debug?.(`Redis (${options.purpose}) still unreachable at ${where}; retry ${attempt}`);
      return redisReconnectDelayMs(attempt);
    },
  });
  redis.on('error', (error: Error) => {
    if (waiting) return;
    waiting = true;
    logger.warn(`Redis unreachable at ${where} (${error.message}); ${options.waitingMessage}. Retrying with backoff.`);
  });
  redis.on('ready', () => {
    if (waiting) logger.log(`Redis (${options.purpose}) reachable again at ${where}`);
    waiting = false;
  });
  return redis;
}
