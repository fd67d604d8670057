import type { RebacOptions } from '../rebac.options';
import type { AdmissionLimits } from './admission-control';

/** The provider of the process's AdmissionLimits. */
export const ADMISSION_LIMITS = Symbol('nexus:rebac-admission-limits');

/** A shed check's Retry-After: an evaluation takes milliseconds, so a slot is free well within it. */
export const OVERLOAD_RETRY_AFTER_SECONDS = 1;

/** About a few seconds of checks at the evaluator's throughput: waiting longer helps no caller. */
export const DEFAULT_MAX_QUEUED_CHECKS = 5_000;

/** node-postgres's own default, for a DataSource that sets no pool size. */
const PG_DEFAULT_POOL_SIZE = 10;

/** The app's configuration variables for admission control (ApiConfig; absent elsewhere). */
export interface AdmissionConfig {
  NEXUS_REBAC_MAX_CONCURRENT_EVALUATIONS?: number;
  NEXUS_REBAC_MAX_QUEUED_CHECKS?: number;
}

/** The pool size of a TypeORM postgres DataSource (`extra.max`), or pg's default. */
export function poolSizeOf(dataSourceOptions: unknown): number {
  const max = (dataSourceOptions as { extra?: { max?: unknown } } | undefined)?.extra?.max;
  return typeof max === 'number' && max >= 1 ? max : PG_DEFAULT_POOL_SIZE;
}

/**
 * The limits: forRoot options first, then the app's configuration, then the
 * defaults. Evaluations default to half the pool, so checks under overload
 * leave connections for tuple writes, authentication and other domains' queries.
 */
export function admissionLimits(
  options: Pick<RebacOptions, 'maxConcurrentEvaluations' | 'maxQueuedChecks'>,
  config: AdmissionConfig | undefined,
  poolSize: number,
): AdmissionLimits {
  return {
    maxConcurrentEvaluations:
      options.maxConcurrentEvaluations ??
      config?.NEXUS_REBAC_MAX_CONCURRENT_EVALUATIONS ??
      Math.max(1, Math.ceil(poolSize / 2)),
    maxQueuedChecks:
      options.maxQueuedChecks ?? config?.NEXUS_REBAC_MAX_QUEUED_CHECKS ?? DEFAULT_MAX_QUEUED_CHECKS,
    retryAfterSeconds: OVERLOAD_RETRY_AFTER_SECONDS,
  };
}
