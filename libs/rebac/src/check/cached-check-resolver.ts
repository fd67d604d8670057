import type { CheckCache } from '../cache/check-cache';
import type { CheckResolver, ZoneCheck } from './check-resolver';
import { checkKey } from './check-resolver';

/**
 * Answers from the check cache, keyed by the zone's (revision, model version),
 * and stores what the next stage answers. fully_consistent checks never read
 * the cache but still store: their answer is right for its revision. Checks
 * with contextual tuples bypass it (their answer holds for that request only);
 * errors are never stored.
 */
export class CachedCheckResolver implements CheckResolver {
  constructor(
    private readonly cache: CheckCache,
    private readonly next: CheckResolver,
  ) {}

  async check(request: ZoneCheck): Promise<boolean> {
    const { zone, check } = request;
    if (check.contextualTuples?.length) return this.next.check(request);
    const { zoneId, revision, modelVersion } = zone.state;
    const key = checkKey(check);
    if (zone.useCache) {
      const cached = this.cache.get(zoneId, revision, modelVersion, key);
      if (cached !== undefined) return cached;
    }
    const allowed = await this.next.check(request);
    this.cache.set(zoneId, revision, modelVersion, key, allowed);
    return allowed;
  }
}
