import type { LoggerService } from '@nestjs/common';
import fc from 'fast-check';
import type { EventEmitter } from 'node:events';
import type { RedisOptions } from 'ioredis';
import Redis from 'ioredis';
import { createRedisConnection, redactUrl, redisReconnectDelayMs } from './redis-connection';

// No Redis in unit tests: the client is an event emitter that records its options.
jest.mock('ioredis', () => {
  const { EventEmitter: Emitter } = jest.requireActual<typeof import('node:events')>('node:events');
  return { __esModule: true, default: jest.fn(() => new Emitter()) };
});

const RedisMock = jest.mocked(Redis);

interface FakeLogger extends LoggerService {
  log: jest.Mock;
  warn: jest.Mock;
  error: jest.Mock;
  debug: jest.Mock;
}

function fakeLogger(): FakeLogger {
  return { log: jest.fn(), warn: jest.fn(), error: jest.fn(), debug: jest.fn() };
}

describe('redactUrl', () => {
  it.each([
    ['redis://:s3cret@cache:6379', 'redis://:***@cache:6379'],
    ['redis://nexus:s3cret@cache:6379/2', 'redis://nexus:***@cache:6379/2'],
    ['rediss://default:p%40ss@cache.internal:6380', 'rediss://default:***@cache.internal:6380'],
    ['postgres://nexus:s3cret@db:5432/nexus', 'postgres://nexus:***@db:5432/nexus'],
  ])('hides the password of %p', (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });

  it.each(['redis://cache:6379', 'redis://nexus@cache:6379/0', 'rediss://127.0.0.1:6380'])(
    'leaves %p without a password as it is',
    (url) => {
      expect(redactUrl(url)).toBe(url);
    },
  );

  it.each(['not a url', '', '::: password hunter2 :::', 'redis://:hunter2@[bad-host'])(
    'answers a placeholder, not the input, for the unparseable %p',
    (url) => {
      expect(redactUrl(url)).toBe('[unparseable url]');
    },
  );

  it('never shows the password (property)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), (secret) => {
        const password = `PW~${encodeURIComponent(secret)}`;
        const redacted = redactUrl(`redis://nexus:${password}@cache.internal:6379/0`);

        expect(redacted).toBe('redis://nexus:***@cache.internal:6379/0');
      }),
    );
  });
});

describe('redisReconnectDelayMs', () => {
  it.each([
    [1, 200],
    [2, 400],
    [3, 800],
    [4, 1600],
    [5, 3200],
    [6, 5000],
    [7, 5000],
    [1000, 5000],
    [0, 200],
    [-3, 200],
  ])('waits after attempt %p for %p ms', (attempt, delay) => {
    expect(redisReconnectDelayMs(attempt)).toBe(delay);
  });

  it('never shrinks and stays between 200 ms and 5 s (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -10, max: 10_000 }), (attempt) => {
        const delay = redisReconnectDelayMs(attempt);
        expect(delay).toBeGreaterThanOrEqual(200);
        expect(delay).toBeLessThanOrEqual(5_000);
        expect(redisReconnectDelayMs(attempt + 1)).toBeGreaterThanOrEqual(delay);
      }),
    );
  });
});

describe('createRedisConnection', () => {
  const url = 'redis://nexus:hunter2@cache:6379/0';

  beforeEach(() => {
    RedisMock.mockClear();
  });

  function create(mode: 'fail-fast' | 'queue', logger: LoggerService = fakeLogger()) {
    const connection = createRedisConnection(
      { url, purpose: 'rate limits', waitingMessage: 'requests are not rate limited', mode },
      logger,
    ) as unknown as EventEmitter;
    expect(RedisMock).toHaveBeenCalledTimes(1);
    const [givenUrl, options] = RedisMock.mock.calls[0] as unknown as [string, RedisOptions];
    return { connection, givenUrl, options };
  }

  it('connects at once to the given URL and fails commands fast in fail-fast mode', () => {
    const { givenUrl, options } = create('fail-fast');

    expect(givenUrl).toBe(url);
    expect(options).toMatchObject({
      lazyConnect: false,
      connectTimeout: 2_000,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
    });
  });

  it('queues commands until reconnected in queue mode (as BullMQ needs)', () => {
    const { options } = create('queue');

    expect(options.enableOfflineQueue).toBe(true);
    expect(options.maxRetriesPerRequest).toBeNull();
  });

  it('reconnects forever with the capped backoff', () => {
    const { options } = create('fail-fast');
    const retryStrategy = options.retryStrategy!;

    expect(retryStrategy(1)).toBe(200);
    expect(retryStrategy(3)).toBe(800);
    expect(retryStrategy(50)).toBe(5_000);
  });

  it('warns once while Redis is away, without the password, and says when it is back', () => {
    const logger = fakeLogger();
    const { connection, options } = create('fail-fast', logger);

    connection.emit('error', new Error('connect ECONNREFUSED'));
    connection.emit('error', new Error('connect ECONNREFUSED'));
    options.retryStrategy!(2);

    expect(logger.warn).toHaveBeenCalledTimes(1);
    const warning = String(logger.warn.mock.calls[0]![0]);
    expect(warning).toContain('redis://nexus:***@cache:6379/0');
    expect(warning).toContain('ECONNREFUSED');
    expect(warning).toContain('requests are not rate limited');
    expect(warning).not.toContain('hunter2');
    expect(logger.debug).toHaveBeenCalledTimes(1);
    expect(String(logger.debug.mock.calls[0]![0])).not.toContain('hunter2');

    connection.emit('ready');

    expect(logger.log).toHaveBeenCalledTimes(1);
    expect(String(logger.log.mock.calls[0]![0])).toContain('rate limits');
    expect(String(logger.log.mock.calls[0]![0])).toContain('reachable again');
  });

  it('warns again when Redis goes away a second time', () => {
    const logger = fakeLogger();
    const { connection } = create('queue', logger);

    connection.emit('error', new Error('first'));
    connection.emit('ready');
    connection.emit('error', new Error('second'));

    expect(logger.warn).toHaveBeenCalledTimes(2);
    expect(String(logger.warn.mock.calls[1]![0])).toContain('second');
  });

  it('says nothing when the first connection succeeds', () => {
    const logger = fakeLogger();
    const { connection, options } = create('fail-fast', logger);

    connection.emit('ready');
    options.retryStrategy!(1);

    expect(logger.log).not.toHaveBeenCalled();
    expect(logger.warn).not.toHaveBeenCalled();
    expect(logger.debug).not.toHaveBeenCalled();
  });

  it('works with a logger that has no debug method', () => {
    const logger: LoggerService = { log: jest.fn(), warn: jest.fn(), error: jest.fn() };
    const { connection, options } = create('fail-fast', logger);

    connection.emit('error', new Error('down'));

    expect(() => options.retryStrategy!(2)).not.toThrow();
  });
});
