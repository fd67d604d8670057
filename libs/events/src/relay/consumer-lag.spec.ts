import type { ConsumerZonePosition } from './consumer-lag';
import { summarize } from './consumer-lag';

const zone = (consumer: string, lag: number, oldestPendingAt: Date | null): ConsumerZonePosition => ({
  consumer,
  zoneKey: 'z',
  zoneId: 'z',
  position: '0',
  head: String(lag),
  lag,
  hasRow: true,
  failures: 0,
  lastError: null,
  retryAt: null,
  due: true,
  oldestPendingAt,
});

describe('summarize', () => {
  it('sums lag over zones, takes the oldest pending event, and lists caught-up consumers at 0', () => {
    const now = new Date('2030-01-01T00:01:00Z');
    const summary = summarize(
      ['a', 'b'],
      [zone('a', 3, new Date('2030-01-01T00:00:30Z')), zone('a', 4, new Date('2030-01-01T00:00:50Z'))],
      now,
    );
    expect(summary.map(({ consumer, lag, lagSeconds }) => ({ consumer, lag, lagSeconds }))).toEqual([
      { consumer: 'a', lag: 7, lagSeconds: 30 },
      { consumer: 'b', lag: 0, lagSeconds: 0 },
    ]);
  });
});
