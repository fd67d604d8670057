import { Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { TestingModule } from '@nestjs/testing';
import Redis from 'ioredis';
import { ApiConfig } from '../config/api.config';
import { ConfigModule } from '../config/config.module';
import { loadConfig } from '../config/load-config';
import { ObservabilityModule } from '../observability/observability.module';
import { ReadinessRegistry } from '../observability/readiness';
import { REDIS, RedisModule } from './redis.module';

// No Redis in unit tests: a client whose ping and disconnect the tests control.
jest.mock('ioredis', () => {
  const { EventEmitter } = jest.requireActual<typeof import('node:events')>('node:events');
  return {
    __esModule: true,
    default: jest.fn(() => Object.assign(new EventEmitter(), { ping: jest.fn(), disconnect: jest.fn() })),
  };
});

interface FakeRedis {
  ping: jest.Mock<Promise<string>, []>;
  disconnect: jest.Mock<void, [boolean]>;
}

describe('RedisModule', () => {
  let moduleRef: TestingModule;

  beforeEach(async () => {
    jest.mocked(Redis).mockClear();
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const config = loadConfig(ApiConfig, { REDIS_URL: 'redis://:pw@cache.test:6390/3' });
    moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot(config),
        ObservabilityModule,
        RedisModule.forRoot({ purpose: 'tests', waitingMessage: 'nothing waits', mode: 'fail-fast' }),
      ],
    }).compile();
    await moduleRef.init();
  });

  afterEach(async () => {
    await moduleRef.close();
    jest.restoreAllMocks();
  });

  it('connects once to the configured REDIS_URL and provides the client', () => {
    expect(Redis).toHaveBeenCalledTimes(1);
    expect((jest.mocked(Redis).mock.calls[0] as unknown[] | undefined)?.[0]).toBe('redis://:pw@cache.test:6390/3');
    expect(moduleRef.get(REDIS)).toBe(jest.mocked(Redis).mock.results[0]?.value);
  });

  it('registers a readiness check that pings Redis', async () => {
    const redis = moduleRef.get<FakeRedis>(REDIS);
    redis.ping.mockResolvedValueOnce('PONG');

    await expect(moduleRef.get(ReadinessRegistry).report()).resolves.toEqual({
      ready: true,
      checks: { redis: { status: 'ok' } },
    });
    expect(redis.ping).toHaveBeenCalledTimes(1);
  });

  it('reports Redis down when the ping fails', async () => {
    moduleRef.get<FakeRedis>(REDIS).ping.mockRejectedValueOnce(new Error('Connection is closed.'));

    await expect(moduleRef.get(ReadinessRegistry).report()).resolves.toEqual({
      ready: false,
      checks: { redis: { status: 'down', error: 'Connection is closed.' } },
    });
  });

  it('disconnects on application shutdown', async () => {
    const redis = moduleRef.get<FakeRedis>(REDIS);
    expect(redis.disconnect).not.toHaveBeenCalled();

    await moduleRef.close();

    expect(redis.disconnect).toHaveBeenCalledTimes(1);
    expect(redis.disconnect).toHaveBeenCalledWith(false);
  });
});
