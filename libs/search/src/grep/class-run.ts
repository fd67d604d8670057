// A prefilter for patterns without a usable literal: a run of ASCII character classes
// every match contains, contiguously (`[A-Z][a-z]{2}[0-9]{5}` gives 8 classes), read off
// the pattern's tree. A shift-and scan finds the run many times faster than re2js runs
// its DFA, so files, blocks and lines without it are skipped unmatched; the rest are
// matched by re2js as before, so results cannot change.
// Only ASCII classes count: an ASCII character is one byte in the file and one UTF-16
// unit in the decoded text, and no undecodable byte turns into one. '\n' is in no class
// (a match lies inside one line), so the run never spans lines.
import type { ReNode } from './regex-syntax';

export interface ClassRun {
  /** masks[c]: bit i set when code unit (or byte) c is in the run's i-th class; 0 from 128 on. */
  masks: Int32Array;
  length: number;
}

/** An ASCII class as the set of its code units, 128 flags. */
type AsciiClass = Uint8Array;

/** What every match of a node holds: `exact` when it is a fixed run of classes. */
interface Info {
  exact: AsciiClass[] | null;
  /** Classes every match starts with, and ends with. */
  prefix: AsciiClass[];
  suffix: AsciiClass[];
  /** The most selective run found inside (at most MAX_RUN classes). */
  best: AsciiClass[];
}

/** Classes kept per prefix, suffix or pending run (bounds the work on x{1000}). */
const KEEP = 64;
/** The scan keeps one state bit per class in a 32-bit integer. */
const MAX_RUN = 30;
/** Below this selectivity (bits: log2(128 / class size), summed) the run would match most lines. */
const MIN_BITS = 6;

// re2js's simple case folding joins k with U+212A KELVIN SIGN and s with U+017F LONG S:
// under ignore-case, a class with either holds a non-ASCII character.
const FOLDS_OUTSIDE_ASCII = new Set([0x4b, 0x6b, 0x53, 0x73]);

/** The ASCII class a single-character node matches, or null if it can match a non-ASCII one. */
function asciiClass(node: ReNode): AsciiClass | null {
  let ranges: Array<[number, number]>;
  if (node.t === 'lit') ranges = [[node.cp, node.cp]];
  else if (node.t === 'set' && node.ranges) ranges = node.ranges;
  else return null;
  const fold = node.fold;
  const cls = new Uint8Array(128);
  for (const [lo, hi] of ranges) {
    if (hi >= 0x80) return null;
    for (let cp = lo; cp <= hi; cp++) {
      if (cp === 10) continue;
      if (fold && FOLDS_OUTSIDE_ASCII.has(cp)) return null;
      cls[cp] = 1;
      if (fold && cp >= 0x41 && cp <= 0x5a) cls[cp + 0x20] = 1;
      if (fold && cp >= 0x61 && cp <= 0x7a) cls[cp - 0x20] = 1;
    }
  }
  return cls;
}

function bits(cls: AsciiClass): number {
  let size = 0;
  for (const flag of cls) size += flag;
  return size === 0 ? 64 : Math.log2(128 / size);
}

/** The most selective window of at most MAX_RUN classes among runs. */
function bestOf(...runs: AsciiClass[][]): AsciiClass[] {
  let best: AsciiClass[] = [];
  let bestScore = 0;
  for (const run of runs) {
    const scores = run.map(bits);
    const width = Math.min(MAX_RUN, run.length);
    for (let start = 0; start + width <= run.length; start++) {
      let score = 0;
      for (let k = start; k < start + width; k++) score += scores[k] as number;
      if (score > bestScore) {
        bestScore = score;
        best = run.slice(start, start + width);
      }
    }
  }
  return best;
}

const inexact = (prefix: AsciiClass[], suffix: AsciiClass[], best: AsciiClass[]): Info => ({
  exact: null,
  prefix: prefix.slice(0, KEEP),
  suffix: suffix.slice(-KEEP),
  best,
});

function exactInfo(run: AsciiClass[]): Info {
  if (run.length > KEEP) return inexact(run, run, bestOf(run));
  return { exact: run, prefix: run, suffix: run, best: bestOf(run) };
}

/** Class by class union of runs, aligned at their starts (or ends), as long as the shortest. */
function unionOf(runs: AsciiClass[][], atEnd: boolean): AsciiClass[] {
  const width = Math.min(...runs.map((run) => run.length));
  const out: AsciiClass[] = [];
  for (let k = 0; k < width; k++) {
    const cls = new Uint8Array(128);
    for (const run of runs) {
      const member = run[atEnd ? run.length - width + k : k] as AsciiClass;
      for (let c = 0; c < 128; c++) if (member[c]) cls[c] = 1;
    }
    out.push(cls);
  }
  return out;
}

function repeated(run: AsciiClass[], times: number): AsciiClass[] {
  const out: AsciiClass[] = [];
  for (let k = 0; k < times && out.length <= KEEP; k++) out.push(...run);
  return out;
}

function info(node: ReNode): Info {
  switch (node.t) {
    case 'lit':
    case 'set': {
      const cls = asciiClass(node);
      return cls ? exactInfo([cls]) : inexact([], [], []);
    }
    case 'empty':
      return exactInfo([]);
    case 'cat':
      return concat(node.of.map(info));
    case 'alt': {
      const subs = node.of.map(info);
      const exacts = subs.map((sub) => sub.exact);
      if (exacts.every((run) => run && run.length === exacts[0]!.length))
        return exactInfo(unionOf(exacts as AsciiClass[][], false));
      return inexact(
        unionOf(
          subs.map((sub) => sub.prefix),
          false,
        ),
        unionOf(
          subs.map((sub) => sub.suffix),
          true,
        ),
        [],
      );
    }
    case 'rep': {
      if (node.max === 0) return exactInfo([]);
      if (node.min === 0) return inexact([], [], []);
      const sub = info(node.sub);
      if (!sub.exact) return inexact(sub.prefix, sub.suffix, sub.best);
      // sub^j (j <= min copies, cut near KEEP classes) starts and ends every match.
      const copies = repeated(sub.exact, node.min);
      if (node.min === node.max && copies.length === sub.exact.length * node.min) return exactInfo(copies);
      return inexact(copies, copies, bestOf(copies));
    }
  }
}

/** The parts of a concatenation follow one another: runs continue across exact parts. */
function concat(parts: Info[]): Info {
  let run: AsciiClass[] = [];
  let prefix: AsciiClass[] | null = null;
  let best: AsciiClass[] = [];
  let cut = false;
  for (const part of parts) {
    if (part.exact) run = run.concat(part.exact);
    else {
      run = run.concat(part.prefix);
      prefix ??= run;
      best = bestOf(best, run, part.best);
      run = part.suffix;
      cut = true;
    }
    if (run.length > KEEP) {
      // Windows are at most MAX_RUN < KEEP wide: the last KEEP classes still hold every
      // window that later parts extend.
      prefix ??= run.slice(0, KEEP);
      best = bestOf(best, run);
      run = run.slice(-KEEP);
      cut = true;
    }
  }
  if (!cut) return exactInfo(run);
  return inexact(prefix ?? run, run, bestOf(best, run));
}

/**
 * A run of classes every match of the tree contains (the caller's pattern, before any
 * -w wrapper, whose match holds the pattern's), or null when none is selective enough.
 */
export function necessaryClassRun(node: ReNode): ClassRun | null {
  const top = info(node);
  const run = bestOf(top.best, top.prefix, top.suffix, top.exact ?? []);
  if (run.reduce((sum, cls) => sum + bits(cls), 0) < MIN_BITS) return null;
  const masks = new Int32Array(256);
  run.forEach((cls, i) => {
    for (let c = 0; c < 128; c++) if (cls[c]) masks[c] = (masks[c] as number) | (1 << i);
  });
  return { masks, length: run.length };
}

/**
 * Start of the first occurrence of the run inside bytes[from, to), or -1. The bytes hold
 * the run exactly when their decoded text does: ASCII bytes decode one to one, other
 * bytes only to other characters. Faster than the text.
 */
export function findClassRunInBytes(bytes: Uint8Array, run: ClassRun, from: number, to: number): number {
  const masks = run.masks;
  const last = 1 << (run.length - 1);
  let state = 0;
  for (let i = from; i < to; i++) {
    state = ((state << 1) | 1) & (masks[bytes[i] as number] as number);
    if ((state & last) !== 0) return i + 1 - run.length;
  }
  return -1;
}

/** Start of the first occurrence of the run inside text[from, to), or -1. */
export function findClassRun(text: string, run: ClassRun, from: number, to: number): number {
  const masks = run.masks;
  const last = 1 << (run.length - 1);
  let state = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    // Shift-and: bit k of state says the k+1 classes before i+1 matched.
    state = c < 128 ? ((state << 1) | 1) & (masks[c] as number) : 0;
    if ((state & last) !== 0) return i + 1 - run.length;
  }
  return -1;
}
