import { RangeNotSatisfiableError, requestedRange } from './http-range';

describe('requestedRange', () => {
  it.each([
    ['bytes=0-4', { start: 0, end: 4 }],
    ['bytes=3-', { start: 3, end: undefined }],
    ['bytes=8-100', { start: 8, end: 100 }],
    ['bytes=-4', { start: 6 }],
    ['bytes=-50', { start: 0 }],
  ])('reads %s of a 10-byte file', (header, range) => {
    expect(requestedRange(header, 10)).toEqual(range);
  });

  it.each([undefined, 'bytes=0-1,4-5', 'items=0-4', 'bytes=5-2', 'bytes=-', 'bytes=a-b'])(
    'serves the whole file for %s',
    (header) => {
      expect(requestedRange(header, 10)).toBeNull();
    },
  );

  it.each([
    ['bytes=10-', 10],
    ['bytes=-0', 10],
    ['bytes=0-', 0],
  ])('refuses %s of a %i-byte file with 416', (header, size) => {
    expect(() => requestedRange(header, size)).toThrow(RangeNotSatisfiableError);
  });
});
