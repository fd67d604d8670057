import { Inject, Injectable } from '@nestjs/common';
import { CheckCache } from '../cache/check-cache';
import type { AdmissionLimits } from './admission-control';
import { AdmissionControl } from './admission-control';
import { ADMISSION_LIMITS } from './admission-limits';
import { CachedCheckResolver } from './cached-check-resolver';
import type { CheckResolver, ZoneCheck } from './check-resolver';
import { CoalescingCheckResolver } from './coalescing-check-resolver';
import { LocalCheckEvaluator } from './local-check-evaluator';
import { ValidatingCheckResolver } from './validating-check-resolver';

/**
 * Every check's way to its answer: validate → cache → coalesce → admit →
 * evaluate. One instance per process, so HTTP and in-process callers share its
 * cache, its in-flight evaluations and its admission limits.
 */
@Injectable()
export class CheckPipeline implements CheckResolver {
  private readonly first: CheckResolver;

  constructor(cache: CheckCache, @Inject(ADMISSION_LIMITS) limits: AdmissionLimits) {
    const admit = new AdmissionControl(limits, new LocalCheckEvaluator());
    this.first = new ValidatingCheckResolver(
      new CachedCheckResolver(cache, new CoalescingCheckResolver(admit)),
    );
  }

  check(request: ZoneCheck): Promise<boolean> {
    return this.first.check(request);
  }
}
