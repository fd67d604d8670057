import { isAscii } from 'node:buffer';
import type { TermCounts } from './tokenize';
import { MAX_TERM_LENGTH, countTerms, segmentHashes } from './tokenize';

/**
 * countTerms() for file content, fast for ASCII (most code and prose): tokens
 * are found on the bytes with the same rule as tokenize()'s pattern (words of
 * letters and digits joined by single `_`, `.` or `-`). A token's terms are
 * its segments' (cached by a hash of the segment's bytes: `loadUser` recurs
 * far more than `loadUser-1234`) plus, when it has several segments, the
 * whole token lowercased, hashed on the bytes — so a token costs no string
 * unless one of its segments is new. Content with any non-ASCII byte takes
 * countTerms() (Unicode classes, NFKC).
 */

interface CachedSegment {
  /** A second hash and the length, to tell apart segments sharing the first hash. */
  check: number;
  length: number;
  hashes: Int32Array;
}

// Big enough for a corpus's vocabulary; rare segments (numbers, ids) come and go: cleared whole when full.
const CACHE_SIZE = 100_000;
const cache = new Map<number, CachedSegment>();

const WORD_BYTE = new Uint8Array(256);
for (let c = 0; c < 128; c++) {
  WORD_BYTE[c] = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) ? 1 : 0;
}
const isJoiner = (byte: number) => byte === 0x5f || byte === 0x2e || byte === 0x2d; // _ . -
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

function segmentHashesOf(content: Buffer, start: number, end: number): Int32Array {
  let first = FNV_OFFSET;
  let second = 5381;
  for (let i = start; i < end; i++) {
    const byte = content[i]!;
    first = Math.imul(first ^ byte, FNV_PRIME);
    second = (Math.imul(second, 33) + byte) | 0;
  }
  const key = first | 0;
  const cached = cache.get(key);
  if (cached !== undefined && cached.check === second && cached.length === end - start) return cached.hashes;
  const hashes = segmentHashes(content.toString('latin1', start, end));
  if (cache.size >= CACHE_SIZE) cache.clear();
  cache.set(key, { check: second, length: end - start, hashes });
  return hashes;
}

/** The distinct term hashes of the token being counted (reused: no allocation per token). */
const tokenTerms = new Int32Array(1024);

export function countContentTerms(content: Buffer): TermCounts {
  if (!isAscii(content)) return countTerms(content.toString('utf8'));
  const counts = new Map<number, number>();
  let length = 0;
  let i = 0;
  const n = content.length;
  // Reads stay inside the buffer: an out-of-bounds typed-array read makes V8 deoptimise the loop.
  const word = (at: number) => WORD_BYTE[content[at]!] === 1;
  const add = (hash: number) => counts.set(hash, (counts.get(hash) ?? 0) + 1);
  while (i < n) {
    if (!word(i)) {
      i++;
      continue;
    }
    length++;
    const start = i;
    let distinct = 0;
    let segments = 0;
    let whole = FNV_OFFSET; // FNV-1a of the lowercased token: termHash() of its whole term
    for (;;) {
      const segmentStart = i;
      while (i < n && word(i)) {
        const byte = content[i]!;
        whole = Math.imul(whole ^ (byte >= 65 && byte <= 90 ? byte | 0x20 : byte), FNV_PRIME);
        i++;
      }
      segments++;
      for (const hash of segmentHashesOf(content, segmentStart, i)) {
        let seen = false;
        for (let k = 0; k < distinct && !seen; k++) seen = tokenTerms[k] === hash;
        if (!seen && distinct < tokenTerms.length) tokenTerms[distinct++] = hash;
      }
      if (i + 1 < n && isJoiner(content[i]!) && word(i + 1)) {
        whole = Math.imul(whole ^ content[i]!, FNV_PRIME);
        i++;
      } else break;
    }
    // One segment: the token's whole term is the segment's own. Several: the lowercased token, unstemmed.
    if (segments > 1 && i - start <= MAX_TERM_LENGTH) {
      const hash = whole | 0;
      let seen = false;
      for (let k = 0; k < distinct && !seen; k++) seen = tokenTerms[k] === hash;
      if (!seen) add(hash);
    }
    for (let k = 0; k < distinct; k++) add(tokenTerms[k]!);
  }
  return { counts, length };
}
