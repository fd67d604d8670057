import type { DeliveryAttemptResult, DeliveryOutcome } from './delivery-outcome';
import { classifyDeliveryAttempt } from './delivery-outcome';

const now = new Date('2026-03-01T12:00:00Z');
const response = (status: number, headers?: Record<string, string | string[]>): DeliveryAttemptResult => ({
  kind: 'response',
  status,
  headers,
});

describe('classifyDeliveryAttempt', () => {
  it.each<[string, DeliveryAttemptResult, DeliveryOutcome]>([
    ['200', response(200), { kind: 'success' }],
    ['201', response(201), { kind: 'success' }],
    ['204', response(204), { kind: 'success' }],
    ['299', response(299), { kind: 'success' }],
    ['2xx with abort header', response(200, { 'webhook-delivery': 'abort' }), { kind: 'success' }],
    [
      '301',
      response(301, { location: 'https://x' }),
      { kind: 'retry', reason: 'HTTP 301 redirect (not followed)' },
    ],
    ['302', response(302), { kind: 'retry', reason: 'HTTP 302 redirect (not followed)' }],
    ['307', response(307), { kind: 'retry', reason: 'HTTP 307 redirect (not followed)' }],
    ['400', response(400), { kind: 'retry', reason: 'HTTP 400' }],
    ['404', response(404), { kind: 'retry', reason: 'HTTP 404' }],
    ['410', response(410), { kind: 'disable', reason: 'HTTP 410 Gone' }],
    [
      '410 with abort header',
      response(410, { 'webhook-delivery': 'abort' }),
      { kind: 'disable', reason: 'HTTP 410 Gone' },
    ],
    [
      '429 with seconds',
      response(429, { 'retry-after': '120' }),
      { kind: 'retry', retryAfterMs: 120_000, reason: 'HTTP 429' },
    ],
    ['429 without Retry-After', response(429), { kind: 'retry', reason: 'HTTP 429' }],
    [
      '429 with junk Retry-After',
      response(429, { 'retry-after': 'later' }),
      { kind: 'retry', reason: 'HTTP 429' },
    ],
    [
      '503 with HTTP-date',
      response(503, { 'Retry-After': 'Sun, 01 Mar 2026 12:10:00 GMT' }),
      { kind: 'retry', retryAfterMs: 600_000, reason: 'HTTP 503' },
    ],
    [
      '500 ignores Retry-After',
      response(500, { 'retry-after': '120' }),
      { kind: 'retry', reason: 'HTTP 500' },
    ],
    ['502', response(502), { kind: 'retry', reason: 'HTTP 502' }],
    ['101', response(101), { kind: 'retry', reason: 'HTTP 101' }],
    ['nonsense status', response(999), { kind: 'retry', reason: 'invalid HTTP status 999' }],
    [
      '500 with abort header',
      response(500, { 'webhook-delivery': 'abort' }),
      { kind: 'give_up', reason: 'HTTP 500 with webhook-delivery: abort' },
    ],
    [
      '429 with abort header wins over Retry-After',
      response(429, { 'Webhook-Delivery': ' ABORT ', 'retry-after': '60' }),
      { kind: 'give_up', reason: 'HTTP 429 with webhook-delivery: abort' },
    ],
    [
      'redirect with abort header',
      response(302, { 'webhook-delivery': ['abort'] }),
      { kind: 'give_up', reason: 'HTTP 302 with webhook-delivery: abort' },
    ],
    [
      'other webhook-delivery value',
      response(500, { 'webhook-delivery': 'pause' }),
      { kind: 'retry', reason: 'HTTP 500' },
    ],
    ['timeout', { kind: 'timeout' }, { kind: 'retry', reason: 'timed out' }],
    [
      'network error',
      { kind: 'network_error', message: 'connect ECONNREFUSED 10.0.0.1:443' },
      { kind: 'retry', reason: 'network error: connect ECONNREFUSED 10.0.0.1:443' },
    ],
    ['network error without message', { kind: 'network_error' }, { kind: 'retry', reason: 'network error' }],
  ])('%s', (_case, result, outcome) => {
    expect(classifyDeliveryAttempt(result, now)).toEqual(outcome);
  });

  it('reads fetch Headers as well as node header records', () => {
    const headers = new Headers({ 'Retry-After': '30', 'X-Other': '1' });
    expect(classifyDeliveryAttempt({ kind: 'response', status: 503, headers }, now)).toEqual({
      kind: 'retry',
      retryAfterMs: 30_000,
      reason: 'HTTP 503',
    });
    const abort = new Headers({ 'webhook-delivery': 'abort' });
    expect(classifyDeliveryAttempt({ kind: 'response', status: 400, headers: abort }, now).kind).toBe(
      'give_up',
    );
  });

  it('is not fooled by a header literally named "get"', () => {
    expect(classifyDeliveryAttempt(response(503, { get: 'x', 'retry-after': '5' }), now)).toEqual({
      kind: 'retry',
      retryAfterMs: 5_000,
      reason: 'HTTP 503',
    });
  });

  it('measures an HTTP-date Retry-After from the injected now', () => {
    const result = response(503, { 'retry-after': 'Sun, 01 Mar 2026 12:10:00 GMT' });
    expect(classifyDeliveryAttempt(result, new Date('2026-03-01T12:09:00Z'))).toMatchObject({
      retryAfterMs: 60_000,
    });
  });
});
