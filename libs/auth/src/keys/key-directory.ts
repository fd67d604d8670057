import type { OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { BaseConfig, DEPLOYMENT, REDIS, createRedisConnection } from '@nexus/core';
import type { Deployment } from '@nexus/core';
import type Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { User } from '../entities/user.entity';
import { ApiKey } from '../entities/api-key.entity';

/** A key as authentication needs it: the row plus whether its subject is disabled. */
export interface KeyRecord {
  key: ApiKey;
  subjectDisabled: boolean;
}

// Under the deployment's prefix: another deployment on the same Redis never drops our keys.
const INVALIDATION_CHANNEL = 'auth:keys-changed';
const ALL_KEYS = '*';
/** Longest a cached key outlives a change another process made while Redis was away. */
const CACHE_TTL_MS = 1_000;
const MAX_ENTRIES = 10_000;

interface Entry {
  record: KeyRecord | null;
  expiresAt: number;
}

/**
 * Looks keys up by hash (API keys) or id (tokens) with a short cache. A change to a
 * key (revocation) drops it here at once and, through Redis pub/sub, on every
 * other API process; if Redis is away, entries still expire within a second.
 */
@Injectable()
export class KeyDirectory implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('KeyDirectory');
  private readonly byHash = new Map<string, Entry>();
  private readonly hashById = new Map<string, string>();
  /** Lookups in flight, shared by concurrent misses of one key (no stampede on the pool when an entry expires). */
  private readonly lookups = new Map<string, Promise<KeyRecord | null>>();
  /** Moves on every invalidation: a lookup that started before one neither caches nor is shared after it. */
  private generation = 0;
  private readonly channel: string;
  private subscriber?: Redis;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: BaseConfig,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(DEPLOYMENT) deployment: Deployment,
  ) {
    this.channel = `${deployment.redisPrefix}${INVALIDATION_CHANNEL}`;
  }

  onModuleInit(): void {
    this.subscriber = createRedisConnection(
      {
        url: this.config.REDIS_URL,
        purpose: 'auth key invalidation',
        mode: 'queue',
        waitingMessage: 'revocations reach other API processes through cache expiry (≤ 1 s) meanwhile',
      },
      this.logger,
    );
    this.subscriber.on('message', (_channel: string, keyId: string) =>
      keyId === ALL_KEYS ? this.forgetAll() : this.forget(keyId),
    );
    this.subscriber.subscribe(this.channel).catch((error: unknown) => {
      this.logger.warn({ msg: 'Could not subscribe to key invalidations', err: error });
    });
  }

  onApplicationShutdown(): void {
    this.subscriber?.disconnect(false);
  }

  /**
   * The cached answer for a key hash, or undefined when the cache cannot say
   * (the hot path stays synchronous: no promise when the key is cached).
   */
  cachedByHash(keyHash: string): KeyRecord | null | undefined {
    const cached = this.byHash.get(keyHash);
    return cached && cached.expiresAt > Date.now() ? cached.record : undefined;
  }

  cachedById(keyId: string): KeyRecord | null | undefined {
    const hash = this.hashById.get(keyId);
    return hash === undefined ? undefined : this.cachedByHash(hash);
  }

  async findByHash(keyHash: string): Promise<KeyRecord | null> {
    const cached = this.cachedByHash(keyHash);
    if (cached !== undefined) return cached;
    return this.shared(`hash:${keyHash}`, async (generation) => {
      const key = await this.dataSource.getRepository(ApiKey).findOne({ where: { keyHash } });
      return this.remember(keyHash, key ? await this.withSubject(key) : null, generation);
    });
  }

  async findById(keyId: string): Promise<KeyRecord | null> {
    const cached = this.cachedById(keyId);
    if (cached !== undefined) return cached;
    return this.shared(`id:${keyId}`, async (generation) => {
      const key = await this.dataSource.getRepository(ApiKey).findOne({ where: { id: keyId } });
      return key ? this.remember(key.keyHash, await this.withSubject(key), generation) : null;
    });
  }

  /** Joins the lookup of `name` already in flight, or starts one. */
  private shared(
    name: string,
    load: (generation: number) => Promise<KeyRecord | null>,
  ): Promise<KeyRecord | null> {
    const pending = this.lookups.get(name);
    if (pending) return pending;
    const lookup = load(this.generation).finally(() => {
      if (this.lookups.get(name) === lookup) this.lookups.delete(name);
    });
    this.lookups.set(name, lookup);
    return lookup;
  }

  /** Drops a key here and tells every other API process to drop it too. */
  async invalidate(keyId: string): Promise<void> {
    this.forget(keyId);
    await this.publish(keyId);
  }

  /** Subjects change too (a user is disabled): drop every cached key, everywhere. */
  async invalidateAll(): Promise<void> {
    this.forgetAll();
    await this.publish(ALL_KEYS);
  }

  private async publish(message: string): Promise<void> {
    try {
      await this.redis.publish(this.channel, message);
    } catch (error) {
      this.logger.warn({
        msg: 'Could not publish key invalidation; other processes catch up by expiry',
        err: error,
      });
    }
  }

  private forgetAll(): void {
    this.generation++;
    this.lookups.clear();
    this.byHash.clear();
    this.hashById.clear();
  }

  private forget(keyId: string): void {
    // A lookup in flight may have read the key before the change: later callers start their own.
    this.generation++;
    this.lookups.clear();
    const hash = this.hashById.get(keyId);
    if (hash) this.byHash.delete(hash);
    this.hashById.delete(keyId);
  }

  private async withSubject(key: ApiKey): Promise<KeyRecord> {
    if (key.subjectType !== 'user') return { key, subjectDisabled: false };
    const user = await this.dataSource
      .getRepository(User)
      .findOne({ where: { id: key.subjectId, zoneId: key.zoneId }, select: { id: true, disabled: true } });
    return { key, subjectDisabled: !user || user.disabled };
  }

  private remember(keyHash: string, record: KeyRecord | null, generation: number): KeyRecord | null {
    // Read before an invalidation: answer this caller (as before the change), but cache nothing.
    if (generation !== this.generation) return record;
    if (this.byHash.size >= MAX_ENTRIES) {
      const oldest = this.byHash.keys().next().value;
      if (oldest !== undefined) this.byHash.delete(oldest);
    }
    this.byHash.set(keyHash, { record, expiresAt: Date.now() + CACHE_TTL_MS });
    if (record) this.hashById.set(record.key.id, keyHash);
    return record;
  }
}
