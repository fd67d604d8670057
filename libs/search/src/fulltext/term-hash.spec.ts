import { termHash } from './term-hash';

describe('termHash', () => {
  it.each([
    // FNV-1a 32-bit reference values, as signed int4
    ['', 0x811c9dc5 | 0],
    ['a', 0xe40c292c | 0],
    ['foobar', 0xbf9cf968 | 0],
  ])('hashes %p like FNV-1a', (term, expected) => {
    expect(termHash(term)).toBe(expected);
  });

  it('hashes the UTF-8 bytes, so a non-ASCII term differs from its look-alikes', () => {
    expect(termHash('café')).not.toBe(termHash('cafe'));
    expect(Number.isInteger(termHash('日本語'))).toBe(true);
  });
});
