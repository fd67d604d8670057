/**
 * The key a term's postings are stored under: FNV-1a (32 bits) of its UTF-8
 * bytes, as a signed int (PostgreSQL's int4). Hashing keeps the postings key
 * narrow and fixed; two terms sharing a hash (rare: ~1 in 4 billion per pair)
 * would share postings, which can only add candidates, never lose any.
 */
export function termHash(term: string): number {
  let hash = 0x811c9dc5;
  if (/^[\x00-\x7f]*$/.test(term)) {
    // ASCII: the characters are the UTF-8 bytes (no buffer to allocate on the indexer's hot path).
    for (let i = 0; i < term.length; i++) {
      hash ^= term.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193);
    }
    return hash | 0;
  }
  for (const byte of Buffer.from(term, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193);
  }
  return hash | 0;
}
