import { RecordingResolver, ask, rejection, zoneAt } from '../../test/pipeline-fixtures';
import { CheckCache } from '../cache/check-cache';
import { CachedCheckResolver } from './cached-check-resolver';

function cachedOver(next: RecordingResolver) {
  const cache = new CheckCache();
  return { cache, resolver: new CachedCheckResolver(cache, next) };
}

describe('CachedCheckResolver', () => {
  it('answers a repeated check from the cache, denials as well as grants', async () => {
    const next = new RecordingResolver(async ({ check }) => check.subject.id === 'anne');
    const { cache, resolver } = cachedOver(next);
    const zone = zoneAt({ revision: 5n });
    for (let i = 0; i < 3; i++) {
      expect(await resolver.check({ zone, check: ask('1', 'viewer', 'anne') })).toBe(true);
      expect(await resolver.check({ zone, check: ask('1', 'viewer', 'bob') })).toBe(false);
    }
    expect(next.received).toHaveLength(2);
    expect(cache.stats()).toMatchObject({ hits: 4, misses: 2 });
  });

  it('keys answers by zone, revision and model version', async () => {
    const next = new RecordingResolver();
    const { resolver } = cachedOver(next);
    const check = ask('1', 'viewer', 'anne');
    await resolver.check({ zone: zoneAt({ revision: 5n }), check });
    await resolver.check({ zone: zoneAt({ revision: 6n }), check });
    await resolver.check({ zone: zoneAt({ revision: 6n, modelVersion: 2 }), check });
    await resolver.check({ zone: zoneAt({ revision: 6n, modelVersion: 2, zoneId: 'another' }), check });
    expect(next.received).toHaveLength(4);
    await resolver.check({ zone: zoneAt({ revision: 6n, modelVersion: 2 }), check });
    expect(next.received).toHaveLength(4);
  });

  it('never reads the cache for fully_consistent, but stores its answer for later checks', async () => {
    const next = new RecordingResolver();
    const { resolver } = cachedOver(next);
    const check = ask('1', 'viewer', 'anne');
    const consistent = zoneAt({ revision: 5n, useCache: false });
    await resolver.check({ zone: consistent, check });
    await resolver.check({ zone: consistent, check });
    expect(next.received).toHaveLength(2);
    await resolver.check({ zone: zoneAt({ revision: 5n }), check });
    expect(next.received).toHaveLength(2);
  });

  it('neither reads nor stores checks with contextual tuples', async () => {
    const next = new RecordingResolver();
    const { cache, resolver } = cachedOver(next);
    const zone = zoneAt();
    const contextualTuples = [
      { object: { type: 'document', id: '1' }, relation: 'viewer', subject: { type: 'user', id: 'anne' } },
    ];
    await resolver.check({ zone, check: ask('1', 'viewer', 'anne', { contextualTuples }) });
    await resolver.check({ zone, check: ask('1', 'viewer', 'anne', { contextualTuples }) });
    expect(next.received).toHaveLength(2);
    expect(cache.stats().entries).toBe(0);
  });

  it('passes an evaluation error on and does not store it: the next check evaluates again', async () => {
    let failing = true;
    const next = new RecordingResolver(async () => {
      if (failing) throw new Error('connection reset');
      return true;
    });
    const { cache, resolver } = cachedOver(next);
    const zone = zoneAt();
    const check = ask('1', 'viewer', 'anne');
    expect(await rejection(resolver.check({ zone, check }))).toEqual(new Error('connection reset'));
    expect(cache.stats().entries).toBe(0);
    failing = false;
    expect(await resolver.check({ zone, check })).toBe(true);
    expect(next.received).toHaveLength(2);
  });
});
