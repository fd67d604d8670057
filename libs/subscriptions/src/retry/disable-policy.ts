export const MAX_FAILURES_VARIABLE = 'NEXUS_WEBHOOK_MAX_FAILURES';
export const DEFAULT_MAX_FAILURES = 20;
export const DEFAULT_MAX_FAILING_MS = 5 * 86_400_000;

/** NEXUS_WEBHOOK_MAX_FAILURES: a positive integer; unset/blank → 20. */
export function parseMaxFailures(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return DEFAULT_MAX_FAILURES;
  const n = Number(value.trim());
  if (!/^\d+$/.test(value.trim()) || n < 1) {
    throw new Error(`${MAX_FAILURES_VARIABLE}: "${value}" is not a positive integer`);
  }
  return n;
}

export interface SubscriptionHealth {
  /** Messages in a row that failed for good (schedule exhausted); reset by any successful attempt. */
  consecutiveFailures: number;
  /** The first failed attempt since the last success; null while healthy. */
  failingSince: Date | null;
  now: Date;
  maxFailures?: number;
  maxFailingMs?: number;
}

/**
 * Why a failing subscription should be disabled now, or null. Either limit is
 * enough: many failed messages on a busy subscription, or days of failure on a
 * quiet one that sees too few messages to reach the count.
 */
export function subscriptionDisableReason({
  consecutiveFailures,
  failingSince,
  now,
  maxFailures = DEFAULT_MAX_FAILURES,
  maxFailingMs = DEFAULT_MAX_FAILING_MS,
}: SubscriptionHealth): string | null {
  if (consecutiveFailures >= maxFailures) return `${consecutiveFailures} consecutive failed messages`;
  if (failingSince && now.getTime() - failingSince.getTime() >= maxFailingMs) {
    const days = Math.floor((now.getTime() - failingSince.getTime()) / 86_400_000);
    return `failing continuously since ${failingSince.toISOString()} (${days} days)`;
  }
  return null;
}

export function shouldDisableSubscription(health: SubscriptionHealth): boolean {
  return subscriptionDisableReason(health) !== null;
}
