import {
  DEFAULT_MAX_FAILING_MS,
  DEFAULT_MAX_FAILURES,
  parseMaxFailures,
  shouldDisableSubscription,
  subscriptionDisableReason,
} from './disable-policy';

const DAY = 86_400_000;
const now = new Date('2026-03-10T00:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms);

describe('shouldDisableSubscription', () => {
  it('defaults to 20 failed messages or 5 days', () => {
    expect(DEFAULT_MAX_FAILURES).toBe(20);
    expect(DEFAULT_MAX_FAILING_MS).toBe(5 * DAY);
  });

  it('keeps a healthy subscription', () => {
    expect(shouldDisableSubscription({ consecutiveFailures: 0, failingSince: null, now })).toBe(false);
  });

  it('disables at the 20th consecutive failed message, not the 19th', () => {
    expect(shouldDisableSubscription({ consecutiveFailures: 19, failingSince: ago(DAY), now })).toBe(false);
    expect(shouldDisableSubscription({ consecutiveFailures: 20, failingSince: ago(DAY), now })).toBe(true);
    expect(subscriptionDisableReason({ consecutiveFailures: 20, failingSince: ago(DAY), now })).toBe(
      '20 consecutive failed messages',
    );
  });

  it('disables after 5 days of continuous failure, even with few messages', () => {
    expect(shouldDisableSubscription({ consecutiveFailures: 1, failingSince: ago(5 * DAY - 1), now })).toBe(
      false,
    );
    expect(shouldDisableSubscription({ consecutiveFailures: 1, failingSince: ago(5 * DAY), now })).toBe(true);
    expect(subscriptionDisableReason({ consecutiveFailures: 2, failingSince: ago(6 * DAY), now })).toBe(
      'failing continuously since 2026-03-04T00:00:00.000Z (6 days)',
    );
  });

  it('honours custom limits', () => {
    expect(
      shouldDisableSubscription({ consecutiveFailures: 3, failingSince: null, now, maxFailures: 3 }),
    ).toBe(true);
    expect(
      shouldDisableSubscription({ consecutiveFailures: 0, failingSince: ago(DAY), now, maxFailingMs: DAY }),
    ).toBe(true);
  });
});

describe('parseMaxFailures', () => {
  it.each([
    [undefined, 20],
    ['', 20],
    ['5', 5],
    [' 100 ', 100],
  ])('%j → %p', (value, n) => {
    expect(parseMaxFailures(value)).toBe(n);
  });

  it.each(['0', '-1', '2.5', 'ten'])('rejects %j, naming the variable', (value) => {
    expect(() => parseMaxFailures(value)).toThrow(
      `NEXUS_WEBHOOK_MAX_FAILURES: "${value}" is not a positive integer`,
    );
  });
});
