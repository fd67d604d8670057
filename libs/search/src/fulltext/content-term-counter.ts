import { isAscii } from 'node:buffer';
import type { TermCounts } from './tokenize';
import { countTerms, tokenHashes } from './tokenize';

/**
 * countTerms() for file content, fast for ASCII (most code and prose): tokens
 * are found on the bytes with the same rule as tokenize()'s pattern (words of
 * letters and digits joined by single `_`, `.` or `-`) and looked up by a hash
 * of their bytes, so a token seen before costs no string at all. Content with
 * any non-ASCII byte takes countTerms() (Unicode classes, NFKC).
 */

interface CachedToken {
  /** A second hash and the length, to tell apart tokens sharing the first hash. */
  check: number;
  length: number;
  hashes: Int32Array;
}

// Big enough for a corpus's vocabulary; rare tokens (numbers, ids) come and go: cleared whole when full.
const CACHE_SIZE = 100_000;
const cache = new Map<number, CachedToken>();

const WORD_BYTE = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  WORD_BYTE[c] = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) ? 1 : 0;
}
const isJoiner = (byte: number) => byte === 0x5f || byte === 0x2e || byte === 0x2d; // _ . -

function hashesOf(content: Buffer, start: number, end: number): Int32Array {
  let first = 0x811c9dc5;
  let second = 5381;
  for (let i = start; i < end; i++) {
    const byte = content[i]!;
    first = Math.imul(first ^ byte, 0x01000193);
    second = (Math.imul(second, 33) + byte) | 0;
  }
  const key = first | 0;
  const cached = cache.get(key);
  if (cached !== undefined && cached.check === second && cached.length === end - start) return cached.hashes;
  const hashes = tokenHashes(content.toString('latin1', start, end));
  if (cache.size >= CACHE_SIZE) cache.clear();
  cache.set(key, { check: second, length: end - start, hashes });
  return hashes;
}

export function countContentTerms(content: Buffer): TermCounts {
  if (!isAscii(content)) return countTerms(content.toString('utf8'));
  const counts = new Map<number, number>();
  let length = 0;
  let i = 0;
  const n = content.length;
  // Reads stay inside the buffer: an out-of-bounds typed-array read makes V8 deoptimise the loop.
  const word = (at: number) => WORD_BYTE[content[at]!] === 1;
  while (i < n) {
    if (!word(i)) {
      i++;
      continue;
    }
    const start = i;
    for (;;) {
      while (i < n && word(i)) i++;
      if (i + 1 < n && isJoiner(content[i]!) && word(i + 1)) i++;
      else break;
    }
    length++;
    for (const hash of hashesOf(content, start, i)) counts.set(hash, (counts.get(hash) ?? 0) + 1);
  }
  return { counts, length };
}
