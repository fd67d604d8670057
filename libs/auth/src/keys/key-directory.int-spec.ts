import { createTestDatabase } from '@nexus/storage-models/testing';
import type { TestDatabase } from '@nexus/storage-models/testing';
import type { Repository } from 'typeorm';
import { ApiKey } from '../entities/api-key.entity';
import { bootstrapKeyFrom, dataSourceOf, eventually, startApp } from '../testing';
import type { AuthTestApp } from '../testing';
import { hashApiKey } from './api-key-format';
import { KeyDirectory } from './key-directory';

/** The key cache under concurrent misses and invalidations, on the real database. */
describe('KeyDirectory', () => {
  let database: TestDatabase;
  let api: AuthTestApp;
  let directory: KeyDirectory;
  let keys: Repository<ApiKey>;
  let keyHash: string;
  let keyId: string;
  let findOne: jest.SpyInstance;

  beforeAll(async () => {
    database = await createTestDatabase('nexus_auth_key_directory');
    api = await startApp(database.url);
    const adminKey = bootstrapKeyFrom(api.logs);
    keyHash = hashApiKey(adminKey);
    directory = api.app.get(KeyDirectory);
    keys = dataSourceOf(api).getRepository(ApiKey);
    const key = await keys.findOneByOrFail({ keyHash });
    keyId = key.id;
  });

  /**
   * Runs an invalidation and waits for its echo: the process hears its own Redis message
   * too, and a lookup racing that echo would (rightly) not be cached.
   */
  async function invalidating(method: 'forget' | 'forgetAll', action: () => Promise<void>): Promise<void> {
    const forget = jest.spyOn(directory as unknown as Record<typeof method, () => void>, method);
    try {
      await action();
      await eventually(async () => expect(forget).toHaveBeenCalledTimes(2), 5_000);
    } finally {
      forget.mockRestore();
    }
  }

  beforeEach(async () => {
    await invalidating('forgetAll', () => directory.invalidateAll());
    // A spy that lets every call through to PostgreSQL: it only counts the lookups.
    findOne = jest.spyOn(Object.getPrototypeOf(keys) as Repository<ApiKey>, 'findOne');
  });

  afterEach(() => findOne.mockRestore());

  afterAll(async () => {
    await api?.close();
    await database?.drop();
  });

  const apiKeyLookups = () =>
    findOne.mock.calls.filter(([options]) => JSON.stringify(options).includes('keyHash')).length;

  it('answers 20 concurrent misses of one key with one lookup, then from the cache', async () => {
    const records = await Promise.all(Array.from({ length: 20 }, () => directory.findByHash(keyHash)));

    expect(new Set(records.map((record) => record?.key.id))).toEqual(new Set([keyId]));
    expect(apiKeyLookups()).toBe(1);
    expect(directory.cachedByHash(keyHash)?.key.id).toBe(keyId);
  });

  it('does not share or cache a lookup that started before an invalidation', async () => {
    const before = directory.findByHash(keyHash);
    await invalidating('forget', () => directory.invalidate(keyId));
    const after = directory.findByHash(keyHash);

    await Promise.all([before, after]);
    // The second caller did not join the lookup that may have read the key before the change.
    expect(apiKeyLookups()).toBe(2);
    expect(directory.cachedByHash(keyHash)?.key.id).toBe(keyId);
  });

  it('sees a revocation committed before the invalidation', async () => {
    const inFlight = directory.findByHash(keyHash);
    await keys.update({ id: keyId }, { revokedAt: new Date() });
    await invalidating('forget', () => directory.invalidate(keyId));
    try {
      expect((await directory.findByHash(keyHash))?.key.revokedAt).toBeInstanceOf(Date);
      await inFlight;
      expect(directory.cachedByHash(keyHash)?.key.revokedAt).toBeInstanceOf(Date);
    } finally {
      await keys.update({ id: keyId }, { revokedAt: null });
      await directory.invalidate(keyId);
    }
  });
});
