import type { DynamicModule, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Global, Inject, Injectable, Logger, Module } from '@nestjs/common';
import type Redis from 'ioredis';
import { BaseConfig } from '../config/base.config';
import { ReadinessRegistry } from '../observability/readiness';
import type { RedisConnectionOptions } from './redis-connection';
import { createRedisConnection } from './redis-connection';

export const REDIS = Symbol('nexus:redis');

type RedisModuleOptions = Pick<RedisConnectionOptions, 'purpose' | 'waitingMessage' | 'mode'>;

@Injectable()
class RedisLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly readiness: ReadinessRegistry,
  ) {}

  onModuleInit(): void {
    this.readiness.register({
      name: 'redis',
      check: async () => {
        await this.redis.ping();
      },
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.redis.disconnect(false);
  }
}

/** The process's shared Redis connection (rate-limit counters, queues, pub/sub). */
@Global()
@Module({})
export class RedisModule {
  static forRoot(options: RedisModuleOptions): DynamicModule {
    return {
      module: RedisModule,
      providers: [
        {
          provide: REDIS,
          inject: [BaseConfig],
          useFactory: (config: BaseConfig) =>
            createRedisConnection({ ...options, url: config.REDIS_URL }, new Logger('Redis')),
        },
        RedisLifecycle,
      ],
      exports: [REDIS],
    };
  }
}
