import { compareCodePoints } from './code-point-order';

describe('compareCodePoints', () => {
  const codePointOrder = (a: string, b: string) => {
    const x = [...a].map((c) => c.codePointAt(0) as number);
    const y = [...b].map((c) => c.codePointAt(0) as number);
    for (let i = 0; i < Math.min(x.length, y.length); i++)
      if (x[i] !== y[i]) return (x[i] as number) - (y[i] as number);
    return x.length - y.length;
  };

  it('orders like UTF-8 bytes, not UTF-16 units, around the surrogate range', () => {
    const sorted = ['/z', '/\u{1F600}', '/\uFFFD', '/a', '/', '/\uE000', '/ab'].sort(compareCodePoints);
    expect(sorted).toEqual(['/', '/a', '/ab', '/z', '/\uE000', '/\uFFFD', '/\u{1F600}']);
    const utf8 = [...sorted].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    expect(sorted).toEqual(utf8);
  });

  it('agrees with a code point by code point comparison on random strings', () => {
    const alphabet = ['a', 'b', '/', '\u00e9', '\uD7FF', '\uE000', '\uFFFF', '\u{10000}', '\u{1F600}'];
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const word = () =>
      Array.from(
        { length: 1 + Math.floor(random() * 4) },
        () => alphabet[Math.floor(random() * alphabet.length)],
      ).join('');
    for (let i = 0; i < 2_000; i++) {
      const a = word();
      const b = word();
      expect(Math.sign(compareCodePoints(a, b))).toBe(Math.sign(codePointOrder(a, b)));
    }
  });
});
