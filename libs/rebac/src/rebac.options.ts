/** The resolved options (defaults filled in by RebacModule.forRoot). */
export const REBAC_OPTIONS = Symbol('nexus:rebac-options');

export interface RebacOptions {
  /**
   * How old a zone's known revision may be before a minimize_latency check
   * re-reads it: a tuple written by another process is seen within this time.
   */
  stalenessMs: number;
  /** Check results cached per zone. */
  cacheEntriesPerZone: number;
  /** Zones whose results and state are cached. */
  cachedZones: number;
  /**
   * Evaluations running at once (admission control). Unset: the app's
   * NEXUS_REBAC_MAX_CONCURRENT_EVALUATIONS, else half the database pool.
   */
  maxConcurrentEvaluations?: number;
  /** Checks waiting for an evaluation before one is shed (503). Unset: NEXUS_REBAC_MAX_QUEUED_CHECKS, else 5,000. */
  maxQueuedChecks?: number;
}

export const DEFAULT_REBAC_OPTIONS: RebacOptions = {
  stalenessMs: 500,
  cacheEntriesPerZone: 100_000,
  cachedZones: 10_000,
};
