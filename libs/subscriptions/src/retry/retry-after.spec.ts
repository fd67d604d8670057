import { applyRetryAfter, MAX_RETRY_AFTER_MS, parseRetryAfter } from './retry-after';

const now = new Date('2026-03-01T12:00:00Z');

describe('parseRetryAfter', () => {
  it.each([
    ['120', 120_000],
    [' 5 ', 5_000],
    ['0', 0],
    ['Sun, 01 Mar 2026 12:00:30 GMT', 30_000],
    ['Sunday, 01-Mar-26 12:01:00 GMT', 60_000],
    ['Sun, 01 Mar 2026 11:00:00 GMT', 0],
    ['999999', MAX_RETRY_AFTER_MS],
    ['Tue, 01 Dec 2026 12:00:00 GMT', MAX_RETRY_AFTER_MS],
  ])('%j → %p ms', (value, ms) => {
    expect(parseRetryAfter(value, now)).toBe(ms);
  });

  it.each([undefined, '', '  ', '-5', '1.5', '5m', 'soon', '2026-03-01T12:05:00Z'])(
    '%j → undefined',
    (value) => {
      expect(parseRetryAfter(value, now)).toBeUndefined();
    },
  );
});

describe('applyRetryAfter', () => {
  it('lengthens the scheduled delay', () => {
    expect(applyRetryAfter(5_000, 60_000)).toBe(60_000);
  });

  it('never shortens it', () => {
    expect(applyRetryAfter(300_000, 1_000)).toBe(300_000);
    expect(applyRetryAfter(300_000, 0)).toBe(300_000);
  });

  it('keeps the schedule without a Retry-After', () => {
    expect(applyRetryAfter(5_000, undefined)).toBe(5_000);
  });

  it('does not revive an exhausted schedule', () => {
    expect(applyRetryAfter(null, 60_000)).toBeNull();
  });
});
