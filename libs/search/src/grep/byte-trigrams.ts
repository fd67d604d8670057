// Byte trigrams for the grep index: a file is indexed by the set of 3-byte windows of
// its ASCII-lowercased content, and a pattern's required literals become an OR of
// AND-sets of trigrams that any matching file must contain.
import type { LiteralQuery } from './grep-pattern';

/** An OR of AND-sets: a file qualifies when it holds every trigram of some inner array. */
export type TrigramQuery = number[][];

const MAX_ALTERNATIVES = 16;
const MAX_AND = 32;

const LOWER = new Uint8Array(256);
for (let b = 0; b < 256; b++) LOWER[b] = b >= 0x41 && b <= 0x5a ? b + 0x20 : b;

// One bit per possible trigram (2 MiB), allocated once; every call leaves it cleared.
let seen: Uint8Array | null = null;
let scratch = new Int32Array(0);

/** Sorted, unique trigrams (b0<<16 | b1<<8 | b2) of `content` with A–Z lowered. */
export function contentTrigrams(content: Uint8Array): Int32Array {
  const n = content.length;
  if (n < 3) return new Int32Array(0);
  const bits = (seen ??= new Uint8Array(1 << 21));
  if (scratch.length < n - 2) scratch = new Int32Array(Math.min(Math.max(n, 1 << 16), 1 << 24));
  const out = scratch;
  let count = 0;
  let t = ((LOWER[content[0] as number] as number) << 8) | (LOWER[content[1] as number] as number);
  for (let i = 2; i < n; i++) {
    t = ((t << 8) | (LOWER[content[i] as number] as number)) & 0xffffff;
    const byte = t >>> 3;
    const bit = 1 << (t & 7);
    const cur = bits[byte] as number;
    if ((cur & bit) === 0) {
      bits[byte] = cur | bit;
      out[count++] = t;
    }
  }
  const result = out.slice(0, count);
  // Clearing whole bytes is enough: every bit set in them belongs to this call.
  for (let k = 0; k < count; k++) bits[(result[k] as number) >>> 3] = 0;
  return result.sort();
}

/** Trigrams of a literal, in position order, deduplicated; null if shorter than 3 bytes. */
function literalTrigrams(bytes: Uint8Array): number[] | null {
  if (bytes.length < 3) return null;
  const out: number[] = [];
  const have = new Set<number>();
  for (let i = 0; i + 2 < bytes.length; i++) {
    const t =
      ((LOWER[bytes[i] as number] as number) << 16) |
      ((LOWER[bytes[i + 1] as number] as number) << 8) |
      (LOWER[bytes[i + 2] as number] as number);
    if (!have.has(t)) {
      have.add(t);
      out.push(t);
    }
  }
  return out;
}

// null means "no constraint" throughout.
type Dnf = number[][] | null;

function union(a: number[], b: number[]): number[] {
  const have = new Set(a);
  return [...a, ...b.filter((t) => !have.has(t))];
}

function dnf(q: LiteralQuery): Dnf {
  switch (q.kind) {
    case 'any':
      return null;
    case 'literal': {
      const tri = literalTrigrams(q.bytes);
      return tri ? [tri] : null;
    }
    case 'or': {
      const alts: number[][] = [];
      for (const sub of q.of) {
        const d = dnf(sub);
        if (!d) return null;
        alts.push(...d);
      }
      return shrinkOr(alts);
    }
    case 'and': {
      const subs = q.of.map(dnf).filter((d): d is number[][] => d !== null);
      if (subs.length === 0) return null;
      // Fewest alternatives first; a conjunct that would overflow the cap is dropped
      // (dropping a conjunct only weakens the query, so no file is lost).
      subs.sort((a, b) => a.length - b.length);
      let acc: number[][] = [[]];
      for (const d of subs) {
        if (acc.length * d.length > MAX_ALTERNATIVES) continue;
        acc = acc.flatMap((a) => d.map((b) => union(a, b)));
      }
      return acc;
    }
  }
}

/** Merges alternatives (by intersecting the closest pair) until at most the cap remain. */
function shrinkOr(alts: number[][]): Dnf {
  const list = alts.map((a) => [...a]);
  while (list.length > MAX_ALTERNATIVES) {
    let best = [0, 1];
    let bestSize = -1;
    for (let i = 0; i < list.length; i++) {
      const s = new Set(list[i]);
      for (let j = i + 1; j < list.length; j++) {
        const size = (list[j] as number[]).filter((t) => s.has(t)).length;
        if (size > bestSize) [best, bestSize] = [[i, j], size];
      }
    }
    if (bestSize <= 0) return null;
    const [i, j] = best as [number, number];
    const s = new Set(list[j]);
    list[i] = (list[i] as number[]).filter((t) => s.has(t));
    list.splice(j, 1);
  }
  return list;
}

/** At most `n` of the items, evenly spread over their positions (first and last kept). */
export function spreadEvenly(items: readonly number[], n: number): number[] {
  if (items.length <= n) return [...items];
  const out: number[] = [];
  for (let k = 0; k < n; k++) out.push(items[Math.round((k * (items.length - 1)) / (n - 1))] as number);
  return out;
}

/** The index query for a pattern's required literals; null means every file must be scanned. */
export function trigramQuery(required: LiteralQuery): TrigramQuery | null {
  const d = dnf(required);
  if (!d || d.length === 0) return null;
  const alts = d.map((a) => [...new Set(spreadEvenly(a, MAX_AND))].sort((x, y) => x - y));
  if (alts.some((a) => a.length === 0)) return null;
  // Drop duplicates and alternatives implied by a smaller one (A or (A and B) = A).
  alts.sort((a, b) => a.length - b.length);
  const kept: number[][] = [];
  for (const a of alts) {
    const s = new Set(a);
    if (!kept.some((k) => k.every((t) => s.has(t)))) kept.push(a);
  }
  return kept;
}

function has(sorted: Int32Array, t: number): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = sorted[mid] as number;
    if (v === t) return true;
    if (v < t) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/** Whether a file with these (sorted) trigrams may match the query. */
export function trigramsSatisfy(query: TrigramQuery | null, trigrams: Int32Array): boolean {
  if (!query) return true;
  return query.some((alt) => alt.every((t) => has(trigrams, t)));
}
