export const RETRY_SCHEDULE_VARIABLE = 'NEXUS_WEBHOOK_RETRY_SCHEDULE';

/**
 * Delay before each attempt of a message, in ms: immediately, 5 s, 5 min, 30 min,
 * 2 h, 5 h, 10 h, 10 h (the Standard Webhooks / Svix schedule, ~28 h in all).
 * Its length is the number of attempts.
 */
export const DEFAULT_RETRY_SCHEDULE: readonly number[] = Object.freeze([
  0,
  5_000,
  5 * 60_000,
  30 * 60_000,
  2 * 3_600_000,
  5 * 3_600_000,
  10 * 3_600_000,
  10 * 3_600_000,
]);

/** ±10 %: spreads retries of messages that failed together (an outage) apart. */
export const RETRY_JITTER = 0.1;

// Caps that catch typos ("10d0", a pasted list) rather than real policies.
const MAX_ENTRY_MS = 7 * 86_400_000;
const MAX_ATTEMPTS = 50;

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * NEXUS_WEBHOOK_RETRY_SCHEDULE: a comma list of durations (`0,5s,5m,30m,2h`),
 * units ms/s/m/h/d; unset or blank → the default. Numbers other than 0 need a
 * unit, so "5000" cannot silently mean 5000 s.
 */
export function parseRetrySchedule(value: string | undefined): readonly number[] {
  if (value === undefined || value.trim() === '') return DEFAULT_RETRY_SCHEDULE;
  const entries = value.split(',');
  if (entries.length > MAX_ATTEMPTS) {
    throw new Error(`${RETRY_SCHEDULE_VARIABLE}: at most ${MAX_ATTEMPTS} attempts, got ${entries.length}`);
  }
  return Object.freeze(entries.map((entry, index) => parseEntry(entry, index)));
}

function parseEntry(raw: string, index: number): number {
  const entry = raw.trim();
  const bad = (why: string) => new Error(`${RETRY_SCHEDULE_VARIABLE}: entry ${index + 1} "${entry}" ${why}`);
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/i.exec(entry);
  if (!match) throw bad('is not a duration like 0, 500ms, 5s, 5m, 2h or 1d');
  const amount = Number(match[1]);
  const unit = match[2]?.toLowerCase();
  if (unit === undefined) {
    if (amount !== 0) throw bad('needs a unit (ms, s, m, h or d)');
    return 0;
  }
  const ms = Math.round(amount * (UNIT_MS[unit] ?? NaN));
  if (ms > MAX_ENTRY_MS) throw bad('is longer than 7 days');
  return ms;
}

/**
 * Delay before attempt `attempt` (1-based: attempt 1 is the first delivery), with
 * ±10 % jitter, or null once the schedule is exhausted (the message has failed).
 * `random` is injectable for tests.
 */
export function nextAttemptDelay(
  attempt: number,
  schedule: readonly number[],
  random: () => number = Math.random,
): number | null {
  if (!Number.isInteger(attempt) || attempt < 1)
    throw new RangeError(`Attempt must be an integer ≥ 1, got ${attempt}`);
  const base = schedule[attempt - 1];
  if (base === undefined) return null;
  return Math.max(0, Math.round(base * (1 + RETRY_JITTER * (2 * random() - 1))));
}
