import {
  DEFAULT_MAX_QUEUED_CHECKS,
  OVERLOAD_RETRY_AFTER_SECONDS,
  admissionLimits,
  poolSizeOf,
} from './admission-limits';

describe('admissionLimits', () => {
  it('defaults to half the pool and the default queue', () => {
    expect(admissionLimits({}, undefined, 10)).toEqual({
      maxConcurrentEvaluations: 5,
      maxQueuedChecks: DEFAULT_MAX_QUEUED_CHECKS,
      retryAfterSeconds: OVERLOAD_RETRY_AFTER_SECONDS,
    });
    expect(admissionLimits({}, undefined, 1).maxConcurrentEvaluations).toBe(1);
    expect(admissionLimits({}, undefined, 7).maxConcurrentEvaluations).toBe(4);
  });

  it("takes the app's configuration over the defaults, and forRoot options over both", () => {
    const config = { NEXUS_REBAC_MAX_CONCURRENT_EVALUATIONS: 3, NEXUS_REBAC_MAX_QUEUED_CHECKS: 0 };
    expect(admissionLimits({}, config, 10)).toMatchObject({
      maxConcurrentEvaluations: 3,
      maxQueuedChecks: 0,
    });
    expect(admissionLimits({ maxConcurrentEvaluations: 8, maxQueuedChecks: 9 }, config, 10)).toMatchObject({
      maxConcurrentEvaluations: 8,
      maxQueuedChecks: 9,
    });
  });
});

describe('poolSizeOf', () => {
  it("reads a postgres DataSource's pool size, or pg's default of 10", () => {
    expect(poolSizeOf({ extra: { max: 25 } })).toBe(25);
    expect(poolSizeOf({ extra: {} })).toBe(10);
    expect(poolSizeOf(undefined)).toBe(10);
  });
});
