import { LAST_ERROR_MAX_CHARS, errorMessageOf, retryDelaySeconds } from './consumer-batch';

describe('consumer batch failures', () => {
  it('backs off 1 s after the first failure, doubling up to 60 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 20].map(retryDelaySeconds)).toEqual([1, 2, 4, 8, 16, 32, 60, 60, 60]);
  });

  it('keeps the error name and message only, cut to the limit', () => {
    const error = Object.assign(new TypeError('bad input'), { payload: { secret: 'x' } });
    expect(errorMessageOf(error)).toBe('TypeError: bad input');
    expect(errorMessageOf('plain')).toBe('plain');
    const long = errorMessageOf(new Error('y'.repeat(5_000)));
    expect(long).toHaveLength(LAST_ERROR_MAX_CHARS);
    expect(long.endsWith('…')).toBe(true);
  });
});
