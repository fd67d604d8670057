import { isAscii } from 'node:buffer';
import type { TermCounts } from './tokenize';
import { segmentTerms } from './segment-cache';
import { MAX_TERM_LENGTH, countTerms } from './tokenize';

/**
 * countTerms() for file content, fast for ASCII (most code and prose): tokens
 * are found on the bytes with the same rule as tokenize()'s pattern (words of
 * letters and digits joined by single `_`, `.` or `-`). A token's terms are
 * its segments' (from segment-cache.ts, by a hash of the segment's bytes) plus, when it has several segments, the
 * whole token lowercased, hashed on the bytes — so a token costs no string
 * unless one of its segments is new. Content with any non-ASCII byte takes
 * countTerms() (Unicode classes, NFKC).
 */

const WORD_BYTE = new Uint8Array(256);
for (let c = 0; c < 128; c++) {
  WORD_BYTE[c] = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) ? 1 : 0;
}
const LOWER = new Uint8Array(256);
for (let c = 0; c < 256; c++) LOWER[c] = c >= 65 && c <= 90 ? c | 0x20 : c;
const isJoiner = (byte: number) => byte === 0x5f || byte === 0x2e || byte === 0x2d; // _ . -
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/**
 * Counts per term hash in an open-addressing table reused by every call (a
 * Map's get and set per occurrence cost more than the rest of the scan).
 * A count of 0 marks a free slot.
 */
class CountTable {
  private keys = new Int32Array(1 << 13);
  private counts = new Int32Array(1 << 13);
  private used = new Int32Array(1 << 12);
  private size = 0;
  private shift = 32 - 13;

  add(hash: number): void {
    const mask = this.keys.length - 1;
    let slot = Math.imul(hash, 0x9e3779b1) >>> this.shift;
    while (this.counts[slot] !== 0 && this.keys[slot] !== hash) slot = (slot + 1) & mask;
    if (this.counts[slot] === 0) {
      this.keys[slot] = hash;
      this.used[this.size++] = slot;
    }
    this.counts[slot] = this.counts[slot]! + 1;
    // At most half full, so probes stay short.
    if (this.size === this.used.length) this.grow();
  }

  /** The counts as a Map; the table is empty again after. */
  drain(): Map<number, number> {
    const out = new Map<number, number>();
    for (let k = 0; k < this.size; k++) {
      const slot = this.used[k]!;
      out.set(this.keys[slot]!, this.counts[slot]!);
      this.counts[slot] = 0;
    }
    this.size = 0;
    return out;
  }

  private grow(): void {
    const entries = this.drain();
    this.keys = new Int32Array(this.keys.length * 2);
    this.counts = new Int32Array(this.counts.length * 2);
    this.used = new Int32Array(this.used.length * 2);
    this.shift--;
    for (const [hash, count] of entries) {
      this.add(hash);
      this.counts[this.used[this.size - 1]!] = count;
    }
  }
}

const table = new CountTable();

/** The distinct term hashes of the token being counted (reused: no allocation per token). */
const tokenTerms = new Int32Array(1024);

export function countContentTerms(content: Buffer): TermCounts {
  if (!isAscii(content)) return countTerms(content.toString('utf8'));
  let length = 0;
  let i = 0;
  const n = content.length;
  while (i < n) {
    if (WORD_BYTE[content[i]!] === 0) {
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
      // The segment's cache key (FNV-1a) and check (djb2) on its bytes, in the same pass.
      let first = FNV_OFFSET;
      let second = 5381;
      while (i < n) {
        const byte = content[i]!;
        if (WORD_BYTE[byte] === 0) break;
        first = Math.imul(first ^ byte, FNV_PRIME);
        second = (Math.imul(second, 33) + byte) | 0;
        whole = Math.imul(whole ^ LOWER[byte]!, FNV_PRIME);
        i++;
      }
      segments++;
      const found = segmentTerms(content, segmentStart, i, first | 0, second);
      const terms = found.terms;
      for (let h = found.from; h < found.to; h++) {
        const hash = terms[h]!;
        let seen = false;
        for (let k = 0; k < distinct && !seen; k++) seen = tokenTerms[k] === hash;
        if (!seen && distinct < tokenTerms.length) tokenTerms[distinct++] = hash;
      }
      // Reads stay inside the buffer: an out-of-bounds typed-array read makes V8 deoptimise the loop.
      if (i + 1 < n && isJoiner(content[i]!) && WORD_BYTE[content[i + 1]!] === 1) {
        whole = Math.imul(whole ^ content[i]!, FNV_PRIME);
        i++;
      } else break;
    }
    // One segment: the token's whole term is the segment's own. Several: the lowercased token, unstemmed.
    if (segments > 1 && i - start <= MAX_TERM_LENGTH) {
      const hash = whole | 0;
      let seen = false;
      for (let k = 0; k < distinct && !seen; k++) seen = tokenTerms[k] === hash;
      if (!seen) table.add(hash);
    }
    for (let k = 0; k < distinct; k++) table.add(tokenTerms[k]!);
  }
  return { counts: table.drain(), length };
}
