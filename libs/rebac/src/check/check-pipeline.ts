import { Injectable } from '@nestjs/common';
import { CheckCache } from '../cache/check-cache';
import { CachedCheckResolver } from './cached-check-resolver';
import type { CheckResolver, ZoneCheck } from './check-resolver';
import { CoalescingCheckResolver } from './coalescing-check-resolver';
import { LocalCheckEvaluator } from './local-check-evaluator';
import { ValidatingCheckResolver } from './validating-check-resolver';

/**
 * Every check's way to its answer: validate → cache → coalesce → evaluate. One
 * instance per process, so HTTP and in-process callers share its cache and its
 * in-flight evaluations.
 */
@Injectable()
export class CheckPipeline implements CheckResolver {
  private readonly first: CheckResolver;

  constructor(cache: CheckCache) {
    const evaluate = new LocalCheckEvaluator();
    this.first = new ValidatingCheckResolver(
      new CachedCheckResolver(cache, new CoalescingCheckResolver(evaluate)),
    );
  }

  check(request: ZoneCheck): Promise<boolean> {
    return this.first.check(request);
  }
}
