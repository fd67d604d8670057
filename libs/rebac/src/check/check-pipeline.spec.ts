import { tuple } from '../../test/engine-fixtures';
import { ask, rejection, zoneAt } from '../../test/pipeline-fixtures';
import { CheckCache } from '../cache/check-cache';
import { MemoryTupleLoader } from '../engine/memory-tuple-loader';
import type { LoadRequest } from '../engine/tuple-loader';
import { toRow } from '../tuple/tuple.types';
import { admissionLimits } from './admission-limits';
import { CheckPipeline } from './check-pipeline';

/** Memory tuples that count loads and fail them while `down`. */
class FlakyLoader extends MemoryTupleLoader {
  down = false;
  override async load(request: LoadRequest) {
    if (this.down) throw new Error('connection reset');
    return super.load(request);
  }
}

describe('CheckPipeline: validate → cache → coalesce → admit → evaluate', () => {
  function pipeline() {
    const loader = new FlakyLoader(['document:1#viewer@user:anne'].map((t) => toRow(tuple(t))));
    const cache = new CheckCache();
    return {
      loader,
      cache,
      checks: new CheckPipeline(cache, admissionLimits({}, undefined, 10)),
      zone: zoneAt({}, { loader }),
    };
  }

  it('evaluates a check once: the repeat comes from the cache, concurrent ones share the evaluation', async () => {
    const { loader, cache, checks, zone } = pipeline();
    const concurrent = await Promise.all(
      Array.from({ length: 5 }, () => checks.check({ zone, check: ask('1', 'viewer', 'anne') })),
    );
    expect(concurrent).toEqual([true, true, true, true, true]);
    const loads = loader.loads;
    expect(loads).toBeGreaterThan(0);
    expect(await checks.check({ zone, check: ask('1', 'viewer', 'anne') })).toBe(true);
    expect(loader.loads).toBe(loads);
    expect(cache.stats()).toMatchObject({ hits: 1, entries: 1 });
  });

  it('fails closed on an invalid check before any evaluation, caching nothing', async () => {
    const { loader, cache, checks, zone } = pipeline();
    expect(await rejection(checks.check({ zone, check: ask('1', 'nope', 'anne') }))).toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    expect(loader.loads).toBe(0);
    expect(cache.stats().entries).toBe(0);
  });

  it('fails closed on an evaluation error and does not cache it', async () => {
    const { loader, cache, checks, zone } = pipeline();
    loader.down = true;
    expect(await rejection(checks.check({ zone, check: ask('1', 'viewer', 'anne') }))).toEqual(
      new Error('connection reset'),
    );
    expect(cache.stats().entries).toBe(0);
    loader.down = false;
    expect(await checks.check({ zone, check: ask('1', 'viewer', 'anne') })).toBe(true);
  });
});
