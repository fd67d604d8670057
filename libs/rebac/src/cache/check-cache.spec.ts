import { CheckCache } from './check-cache';

const key = CheckCache.key('file', '/a', 'viewer', 'user', 'anne', '');
const zone = 'zone-a';

describe('CheckCache', () => {
  it('answers only for the revision and model version an entry was computed at', () => {
    const cache = new CheckCache();
    cache.set(zone, 5n, 1, key, true);
    expect(cache.get(zone, 5n, 1, key)).toBe(true);
    expect(cache.get(zone, 6n, 1, key)).toBeUndefined();
    expect(cache.get(zone, 5n, 2, key)).toBeUndefined();
    expect(cache.get('zone-b', 5n, 1, key)).toBeUndefined();
  });

  it('drops a zone’s entries when a newer revision arrives, and ignores results computed at an older one', () => {
    const cache = new CheckCache();
    cache.set(zone, 5n, 1, key, true);
    cache.set(zone, 6n, 1, 'other', false);
    expect(cache.get(zone, 6n, 1, key)).toBeUndefined();
    cache.set(zone, 5n, 1, key, true);
    expect(cache.get(zone, 5n, 1, key)).toBeUndefined();
    expect(cache.get(zone, 6n, 1, 'other')).toBe(false);
    cache.set(zone, 6n, 2, key, true);
    expect(cache.get(zone, 6n, 1, 'other')).toBeUndefined();
    expect(cache.get(zone, 6n, 2, key)).toBe(true);
  });

  it('keys do not collide across fields', () => {
    expect(CheckCache.key('a', 'b:c', 'r', 'u', 'x', '')).not.toBe(
      CheckCache.key('a:b', 'c', 'r', 'u', 'x', ''),
    );
  });

  it('bounds entries per zone and the number of zones', () => {
    const cache = new CheckCache(2, 2);
    cache.set(zone, 1n, 1, 'k1', true);
    cache.set(zone, 1n, 1, 'k2', true);
    cache.set(zone, 1n, 1, 'k3', true);
    expect(cache.stats().entries).toBeLessThanOrEqual(2);
    cache.set('z2', 1n, 1, 'k', true);
    cache.set('z3', 1n, 1, 'k', true);
    expect(cache.stats().zones).toBe(2);
  });

  it('counts hits and misses and clears a zone or everything', () => {
    const cache = new CheckCache();
    cache.set(zone, 1n, 1, key, true);
    cache.get(zone, 1n, 1, key);
    cache.get(zone, 1n, 1, 'missing');
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 1, zones: 1, entries: 1 });
    cache.clear(zone);
    expect(cache.get(zone, 1n, 1, key)).toBeUndefined();
    cache.set(zone, 1n, 1, key, true);
    cache.clear();
    expect(cache.stats().zones).toBe(0);
  });
});
