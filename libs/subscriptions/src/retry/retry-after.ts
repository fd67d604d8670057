/** Longest Retry-After we honour: a receiver asking for days is treated as asking for one. */
export const MAX_RETRY_AFTER_MS = 24 * 3_600_000;

/**
 * A Retry-After value (delta-seconds or HTTP-date, RFC 9110 §10.2.3) as ms from
 * `now`, clamped to [0, MAX_RETRY_AFTER_MS]; undefined when absent or unparsable,
 * in which case the schedule alone decides.
 */
export function parseRetryAfter(value: string | undefined, now: Date): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  let ms: number;
  if (/^\d+$/.test(text)) {
    ms = Number(text) * 1000;
  } else {
    const at = Date.parse(text);
    // Date.parse accepts more than HTTP-dates; requiring a weekday/month name keeps out "5m" and the like.
    if (Number.isNaN(at) || !/[a-z]{3}/i.test(text)) return undefined;
    ms = at - now.getTime();
  }
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, ms));
}

/**
 * The delay actually waited before the next attempt. Retry-After may lengthen
 * the scheduled delay, never shorten it: a receiver saying "retry in 1 s" should
 * not let us retry faster than our own schedule. An exhausted schedule (null)
 * stays exhausted: a Retry-After answer is still a failed attempt.
 */
export function applyRetryAfter(
  scheduledDelayMs: number | null,
  retryAfterMs: number | undefined,
): number | null {
  if (scheduledDelayMs === null) return null;
  return retryAfterMs === undefined ? scheduledDelayMs : Math.max(scheduledDelayMs, retryAfterMs);
}
