import { ListCache } from './list-cache';

describe('ListCache', () => {
  it('returns a list only for the zone state it was computed at', () => {
    const cache = new ListCache();
    cache.set('k', 3n, 1, ['a', 'b']);
    expect(cache.get('k', 3n, 1)).toEqual(['a', 'b']);
    expect(cache.get('k', 4n, 1)).toBeUndefined();
    expect(cache.get('k', 3n, 1)).toBeUndefined(); // the stale entry was dropped
  });

  it('evicts the least recently used entry beyond its capacity', () => {
    const cache = new ListCache(2);
    cache.set('a', 1n, 1, [1]);
    cache.set('b', 1n, 1, [2]);
    cache.get('a', 1n, 1);
    cache.set('c', 1n, 1, [3]);
    expect(cache.get('b', 1n, 1)).toBeUndefined();
    expect(cache.get('a', 1n, 1)).toEqual([1]);
    expect(cache.get('c', 1n, 1)).toEqual([3]);
    cache.clear();
    expect(cache.get('a', 1n, 1)).toBeUndefined();
  });
});
