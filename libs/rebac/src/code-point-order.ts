/**
 * Orders strings by Unicode code point — the byte order of their UTF-8 form and
 * so PostgreSQL's "C" collation. (JavaScript's `<` compares UTF-16 code units,
 * which puts characters above U+FFFF before U+E000–U+FFFF.) Lists paged by id
 * sort with it, so a page read in SQL order and one sliced from a list sorted
 * here agree.
 */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      // Surrogates (U+D800–U+DFFF) stand for code points above every BMP unit.
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x - y;
  }
  return a.length - b.length;
}
