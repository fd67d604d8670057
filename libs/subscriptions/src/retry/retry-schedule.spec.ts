import { DEFAULT_RETRY_SCHEDULE, nextAttemptDelay, parseRetrySchedule, RETRY_JITTER } from './retry-schedule';

const S = 1_000;
const M = 60 * S;
const H = 60 * M;

describe('parseRetrySchedule', () => {
  it('defaults to immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h', () => {
    expect(DEFAULT_RETRY_SCHEDULE).toEqual([0, 5 * S, 5 * M, 30 * M, 2 * H, 5 * H, 10 * H, 10 * H]);
    expect(parseRetrySchedule(undefined)).toBe(DEFAULT_RETRY_SCHEDULE);
    expect(parseRetrySchedule('')).toBe(DEFAULT_RETRY_SCHEDULE);
    expect(parseRetrySchedule('   ')).toBe(DEFAULT_RETRY_SCHEDULE);
  });

  it('parses the documented default spelled out', () => {
    expect(parseRetrySchedule('0,5s,5m,30m,2h,5h,10h,10h')).toEqual(DEFAULT_RETRY_SCHEDULE);
  });

  it('parses custom schedules with every unit, spaces, case and decimals', () => {
    expect(parseRetrySchedule(' 0 , 250ms, 1.5s ,2M, 1H, 1d ')).toEqual([0, 250, 1_500, 2 * M, H, 24 * H]);
    expect(parseRetrySchedule('10s')).toEqual([10 * S]);
  });

  it.each([
    ['5s,,5m', 'entry 2 ""', 'is not a duration'],
    ['5s,5x', 'entry 2 "5x"', 'is not a duration'],
    ['0,-5s', 'entry 2 "-5s"', 'is not a duration'],
    ['5 s', 'entry 1 "5 s"', 'is not a duration'],
    ['0,5000', 'entry 2 "5000"', 'needs a unit'],
    ['1h,8d', 'entry 2 "8d"', 'is longer than 7 days'],
    ['0,5s,', 'entry 3 ""', 'is not a duration'],
  ])('rejects %j naming the variable and the entry', (value, entry, why) => {
    expect(() => parseRetrySchedule(value)).toThrow(`NEXUS_WEBHOOK_RETRY_SCHEDULE: ${entry} ${why}`);
  });

  it('rejects absurdly many attempts', () => {
    expect(() => parseRetrySchedule(Array(51).fill('1s').join(','))).toThrow(
      /NEXUS_WEBHOOK_RETRY_SCHEDULE: at most 50 attempts/,
    );
  });
});

describe('nextAttemptDelay', () => {
  it('delivers attempt 1 immediately, whatever the jitter', () => {
    expect(nextAttemptDelay(1, DEFAULT_RETRY_SCHEDULE, () => 0)).toBe(0);
    expect(nextAttemptDelay(1, DEFAULT_RETRY_SCHEDULE, () => 0.999)).toBe(0);
  });

  it('follows the schedule with no jitter at random() = 0.5', () => {
    const delays = DEFAULT_RETRY_SCHEDULE.map((_, i) =>
      nextAttemptDelay(i + 1, DEFAULT_RETRY_SCHEDULE, () => 0.5),
    );
    expect(delays).toEqual(DEFAULT_RETRY_SCHEDULE);
  });

  it('jitters by at most ±10 % at the extremes', () => {
    expect(RETRY_JITTER).toBe(0.1);
    expect(nextAttemptDelay(5, DEFAULT_RETRY_SCHEDULE, () => 0)).toBe(6_480_000);
    expect(nextAttemptDelay(5, DEFAULT_RETRY_SCHEDULE, () => 1 - Number.EPSILON)).toBe(7_920_000);
  });

  it('stays within ±10 % over many random values, and actually spreads', () => {
    for (let attempt = 2; attempt <= DEFAULT_RETRY_SCHEDULE.length; attempt++) {
      const base = DEFAULT_RETRY_SCHEDULE[attempt - 1] ?? 0;
      const delays = Array.from(
        { length: 2_000 },
        () => nextAttemptDelay(attempt, DEFAULT_RETRY_SCHEDULE) ?? NaN,
      );
      expect(Math.min(...delays)).toBeGreaterThanOrEqual(Math.floor(base * 0.9));
      expect(Math.max(...delays)).toBeLessThanOrEqual(Math.ceil(base * 1.1));
      expect(Math.min(...delays)).toBeLessThan(base * 0.95);
      expect(Math.max(...delays)).toBeGreaterThan(base * 1.05);
      expect(delays.every(Number.isInteger)).toBe(true);
    }
  });

  it('returns null once the schedule is exhausted', () => {
    expect(nextAttemptDelay(8, DEFAULT_RETRY_SCHEDULE)).not.toBeNull();
    expect(nextAttemptDelay(9, DEFAULT_RETRY_SCHEDULE)).toBeNull();
    expect(nextAttemptDelay(100, DEFAULT_RETRY_SCHEDULE)).toBeNull();
    expect(nextAttemptDelay(2, parseRetrySchedule('0'))).toBeNull();
  });

  it.each([0, -1, 1.5, NaN])('rejects attempt %p', (attempt) => {
    expect(() => nextAttemptDelay(attempt, DEFAULT_RETRY_SCHEDULE)).toThrow(RangeError);
  });
});
