import fc from 'fast-check';
import { bigintCodec, bytesEqual, compareBytes, jsonCodec, prefixEnd, stringCodec } from './codecs';
import { KvError } from './kv.errors';

describe('codecs', () => {
  it('round-trips strings as UTF-8 and refuses invalid UTF-8', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) =>
        expect(stringCodec.decode(stringCodec.encode(text))).toBe(text),
      ),
    );
    expect(() => stringCodec.decode(Uint8Array.from([0xff]))).toThrow(/not valid/);
  });

  it('encodes bigints as 8 big-endian bytes whose byte order is numeric order', () => {
    expect(Buffer.from(bigintCodec.encode(258n)).toString('hex')).toBe('0000000000000102');
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
        fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
        (a, b) => {
          expect(bigintCodec.decode(bigintCodec.encode(a))).toBe(a);
          expect(Math.sign(compareBytes(bigintCodec.encode(a), bigintCodec.encode(b)))).toBe(
            a < b ? -1 : a > b ? 1 : 0,
          );
        },
      ),
    );
  });

  it.each([-1n, 1n << 64n])('rejects %p as a bigint', (value) => {
    expect(() => bigintCodec.encode(value)).toThrow(KvError);
  });

  it('rejects bigint bytes of the wrong length', () => {
    expect(() => bigintCodec.decode(new Uint8Array(7))).toThrow(/8 bytes/);
  });

  it('round-trips JSON documents', () => {
    const codec = jsonCodec<{ path: string; size: number; tags: string[] }>();
    const value = { path: '/a/ü.txt', size: 3, tags: ['x'] };
    expect(codec.decode(codec.encode(value))).toEqual(value);
  });

  it('compares bytes like memcmp, shorter prefix first', () => {
    expect(compareBytes(Uint8Array.from([1]), Uint8Array.from([1, 0]))).toBeLessThan(0);
    expect(compareBytes(Uint8Array.from([0xff]), Uint8Array.from([0x00, 0xff]))).toBeGreaterThan(0);
    expect(bytesEqual(Uint8Array.from([1, 2]), Buffer.from([1, 2]))).toBe(true);
    expect(bytesEqual(Uint8Array.from([1, 2]), Uint8Array.from([1]))).toBe(false);
  });

  describe('prefixEnd', () => {
    it.each([
      ['61', '62'],
      ['61ff', '62'],
      ['00', '01'],
      ['61fe', '61ff'],
    ])('of %s is %s', (prefix, end) => {
      expect(Buffer.from(prefixEnd(Buffer.from(prefix, 'hex')) ?? []).toString('hex')).toBe(end);
    });

    it.each(['', 'ff', 'ffff'])('of %p is unbounded', (prefix) => {
      expect(prefixEnd(Buffer.from(prefix, 'hex'))).toBeUndefined();
    });

    it('bounds exactly the keys that start with the prefix', () => {
      const bytes = fc.uint8Array({ maxLength: 4 });
      fc.assert(
        fc.property(bytes, bytes, (prefix, key) => {
          const end = prefixEnd(prefix);
          const inside = compareBytes(key, prefix) >= 0 && (end === undefined || compareBytes(key, end) < 0);
          const startsWith =
            key.length >= prefix.length && bytesEqual(key.subarray(0, prefix.length), prefix);
          expect(inside).toBe(startsWith);
        }),
      );
    });

    it('does not change its argument', () => {
      const prefix = Uint8Array.from([1, 0xff]);
      prefixEnd(prefix);
      expect([...prefix]).toEqual([1, 0xff]);
    });
  });
});
