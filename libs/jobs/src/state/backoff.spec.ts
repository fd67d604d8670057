import { backoffSeconds, hasAttemptsLeft } from './backoff';

describe('backoff schedule', () => {
  it('uses RETRY_BACKOFF_SECONDS[n-1] after attempt n, repeating the last entry', () => {
    expect(backoffSeconds([2, 10], 1)).toBe(2);
    expect(backoffSeconds([2, 10], 2)).toBe(10);
    expect(backoffSeconds([2, 10], 7)).toBe(10);
    expect(backoffSeconds([], 1)).toBe(0);
  });

  it('knows when attempts are exhausted', () => {
    expect(hasAttemptsLeft(1, 3)).toBe(true);
    expect(hasAttemptsLeft(2, 3)).toBe(true);
    expect(hasAttemptsLeft(3, 3)).toBe(false);
  });
});
