import { segmentHashes } from './tokenize';

/**
 * The term hashes of token segments by a hash of their bytes, for the byte
 * scanner (content-term-counter.ts): `loadUser` recurs far more than
 * `loadUser-1234`, so a segment's string is built and analysed only the first
 * time it is seen. Direct-mapped in typed arrays — a lookup is a few reads of
 * adjacent memory, where a Map of a corpus's vocabulary missed the CPU cache
 * on nearly every segment. A slot holds the segment's first hash, a second
 * hash and its length (to tell apart segments sharing the first), and where
 * its term hashes start in a shared pool; a newer segment for the same slot
 * replaces the older, and a full pool empties the whole cache.
 */
const SLOT_BITS = 20; // ~16 MiB with the pool: fewer slots miss often on a corpus's many numbers and ids
const SLOTS = 1 << SLOT_BITS;
const POOL_SIZE = 1 << 20;
/** Longer segments, or segments with more terms, are analysed every time (rare). */
const MAX_LENGTH = 0xffff;
const MAX_TERMS = 0xff;

/** Allocated on first use (the API process loads this module but never indexes). */
let slots: {
  first: Int32Array;
  second: Int32Array;
  /** 0: an empty slot (segments are never empty). */
  length: Uint16Array;
  start: Int32Array;
  count: Uint8Array;
} | null = null;
/** The term hashes of every cached segment, one run per slot's segment. */
let pool = new Int32Array(0);
let poolUsed = 0;

/** Where a lookup's terms are: terms[from, to). One object, reused by every lookup (no allocation per segment). */
export interface SegmentTerms {
  terms: Int32Array;
  from: number;
  to: number;
}
const found: SegmentTerms = { terms: pool, from: 0, to: 0 };

/**
 * The terms of `content[start, end)`, whose two hashes the caller computed on
 * its bytes. The answer is valid until the next call.
 */
export function segmentTerms(
  content: Buffer,
  start: number,
  end: number,
  first: number,
  second: number,
): Readonly<SegmentTerms> {
  const s = (slots ??= {
    first: new Int32Array(SLOTS),
    second: new Int32Array(SLOTS),
    length: new Uint16Array(SLOTS),
    start: new Int32Array(SLOTS),
    count: new Uint8Array(SLOTS),
  });
  if (pool.length === 0) pool = new Int32Array(POOL_SIZE);
  const slot = Math.imul(first, 0x9e3779b1) >>> (32 - SLOT_BITS);
  const length = end - start;
  if (s.first[slot] === first && s.second[slot] === second && s.length[slot] === length) {
    found.terms = pool;
    found.from = s.start[slot]!;
    found.to = found.from + s.count[slot]!;
    return found;
  }
  const hashes = segmentHashes(content.toString('latin1', start, end));
  found.from = 0;
  found.to = hashes.length;
  found.terms = hashes;
  if (length > MAX_LENGTH || hashes.length > MAX_TERMS) return found;
  if (poolUsed + hashes.length > POOL_SIZE) {
    s.length.fill(0);
    poolUsed = 0;
  }
  pool.set(hashes, poolUsed);
  s.first[slot] = first;
  s.second[slot] = second;
  s.length[slot] = length;
  s.start[slot] = poolUsed;
  s.count[slot] = hashes.length;
  poolUsed += hashes.length;
  return found;
}
