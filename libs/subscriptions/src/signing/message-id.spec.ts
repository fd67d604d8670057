import { newMessageId } from './message-id';

describe('newMessageId', () => {
  it('is msg_ + a 26-character Crockford base32 ULID', () => {
    expect(newMessageId()).toMatch(/^msg_[0-9A-HJKMNP-TV-Z]{26}$/);
  });

  it('is unique', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newMessageId()));
    expect(ids.size).toBe(1000);
  });

  it('sorts by creation time', () => {
    const times = [0, 1, 31, 32, 1_700_000_000_000, 1_700_000_000_001, 2 ** 48 - 1];
    const ids = times.map((t) => newMessageId(t));
    expect([...ids].sort()).toEqual(ids);
    expect(ids[0]?.slice(4, 14)).toBe('0000000000');
    expect(ids[6]?.slice(4, 14)).toBe('7ZZZZZZZZZ');
  });

  it('rejects a time outside 48 bits', () => {
    expect(() => newMessageId(-1)).toThrow(RangeError);
    expect(() => newMessageId(2 ** 48)).toThrow(RangeError);
  });
});
