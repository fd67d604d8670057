/**
 * Seconds to wait after attempt `attempt` (1-based) fails: RETRY_BACKOFF_SECONDS[attempt-1],
 * the last entry repeating for later attempts.
 */
export function backoffSeconds(schedule: readonly number[], attempt: number): number {
  if (schedule.length === 0) return 0;
  const index = Math.min(Math.max(attempt, 1), schedule.length) - 1;
  return schedule[index] ?? 0;
}

/** Whether a failure of attempt `attempt` leaves another attempt. */
export function hasAttemptsLeft(attempt: number, maxAttempts: number): boolean {
  return attempt < maxAttempts;
}
