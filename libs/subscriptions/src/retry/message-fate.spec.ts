import { classifyDeliveryAttempt } from './delivery-outcome';
import { messageFate } from './message-fate';
import { DEFAULT_RETRY_SCHEDULE } from './retry-schedule';

const T0 = new Date('2030-01-01T00:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const serverError = classifyDeliveryAttempt({ kind: 'response', status: 500 });

describe('messageFate (the default schedule, an injected clock and jitter)', () => {
  it('walks the schedule on 500s: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, then gives up after attempt 8', () => {
    let now = T0;
    const waits: number[] = [];
    for (let attempt = 1; attempt <= 7; attempt++) {
      const fate = messageFate(serverError, attempt, now, DEFAULT_RETRY_SCHEDULE, () => 0.5);
      if (fate.kind !== 'retrying') throw new Error(`attempt ${attempt}: ${fate.kind}`);
      waits.push(fate.nextAttemptAt.getTime() - now.getTime());
      now = fate.nextAttemptAt;
    }
    expect(waits).toEqual([5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000]);
    expect(messageFate(serverError, 8, now, DEFAULT_RETRY_SCHEDULE)).toEqual({ kind: 'failed' });
    // A success at the next attempt ends it.
    expect(messageFate(classifyDeliveryAttempt({ kind: 'response', status: 204 }), 3, now, DEFAULT_RETRY_SCHEDULE)).toEqual({
      kind: 'succeeded',
    });
  });

  it('jitters each wait by at most ±10 %', () => {
    const low = messageFate(serverError, 1, T0, DEFAULT_RETRY_SCHEDULE, () => 0);
    const high = messageFate(serverError, 1, T0, DEFAULT_RETRY_SCHEDULE, () => 0.999_999);
    expect(low).toEqual({ kind: 'retrying', nextAttemptAt: at(4_500) });
    expect(high).toEqual({ kind: 'retrying', nextAttemptAt: at(5_500) });
  });

  it('lets a Retry-After lengthen a wait, never shorten it', () => {
    const longer = classifyDeliveryAttempt({ kind: 'response', status: 429, headers: { 'retry-after': '120' } }, T0);
    const shorter = classifyDeliveryAttempt({ kind: 'response', status: 503, headers: { 'retry-after': '1' } }, T0);
    expect(messageFate(longer, 1, T0, DEFAULT_RETRY_SCHEDULE, () => 0.5)).toEqual({ kind: 'retrying', nextAttemptAt: at(120_000) });
    expect(messageFate(shorter, 1, T0, DEFAULT_RETRY_SCHEDULE, () => 0.5)).toEqual({ kind: 'retrying', nextAttemptAt: at(5_000) });
  });

  it('gives up at once on webhook-delivery: abort and disables on 410', () => {
    const abort = classifyDeliveryAttempt({ kind: 'response', status: 500, headers: { 'webhook-delivery': 'abort' } });
    expect(messageFate(abort, 1, T0, DEFAULT_RETRY_SCHEDULE)).toEqual({ kind: 'failed' });
    const gone = classifyDeliveryAttempt({ kind: 'response', status: 410 });
    expect(messageFate(gone, 1, T0, DEFAULT_RETRY_SCHEDULE)).toEqual({ kind: 'failed', disable: 'HTTP 410 Gone' });
  });

  it('treats a redirect, a timeout and an address refusal as failed attempts to retry', () => {
    for (const result of [
      { kind: 'response', status: 302 },
      { kind: 'timeout' },
      { kind: 'refused', message: 'localhost resolves to 127.0.0.1' },
    ] as const) {
      expect(messageFate(classifyDeliveryAttempt(result), 1, T0, DEFAULT_RETRY_SCHEDULE, () => 0.5)).toEqual({
        kind: 'retrying',
        nextAttemptAt: at(5_000),
      });
    }
  });
});
