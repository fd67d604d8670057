import type { DeliveryOutcome } from './delivery-outcome';
import { applyRetryAfter } from './retry-after';
import { nextAttemptDelay } from './retry-schedule';

/** What becomes of a message after one attempt. */
export type MessageFate =
  | { kind: 'succeeded' }
  | { kind: 'retrying'; nextAttemptAt: Date }
  /** Given up (schedule exhausted, or the receiver said abort); `disable`: a 410, the subscription goes too. */
  | { kind: 'failed'; disable?: string };

/**
 * The fate of a message whose attempt `attempt` (1-based) ended in `outcome` at
 * `now`: the next attempt after the schedule's next delay (with its jitter,
 * lengthened by a Retry-After), or given up once the schedule is exhausted.
 * `random` is injectable for tests.
 */
export function messageFate(
  outcome: DeliveryOutcome,
  attempt: number,
  now: Date,
  schedule: readonly number[],
  random: () => number = Math.random,
): MessageFate {
  if (outcome.kind === 'success') return { kind: 'succeeded' };
  if (outcome.kind === 'disable') return { kind: 'failed', disable: outcome.reason };
  if (outcome.kind === 'give_up') return { kind: 'failed' };
  const delay = applyRetryAfter(nextAttemptDelay(attempt + 1, schedule, random), outcome.retryAfterMs);
  return delay === null ? { kind: 'failed' } : { kind: 'retrying', nextAttemptAt: new Date(now.getTime() + delay) };
}
