import { uniqueAnchors } from './unique-anchors';

export type LineOpKind = 'equal' | 'delete' | 'insert';

/** One line of an edit script; `oldIndex`/`newIndex` count the lines of each side before it. */
export interface LineOp {
  kind: LineOpKind;
  line: string;
  oldIndex: number;
  newIndex: number;
}

/**
 * Search steps one diff may take (well under a second). Past them the parts
 * still unsolved are reported as whole replacements: still a correct diff, just
 * not minimal there. It bounds time on large, unrelated versions.
 */
export const MAX_DIFF_WORK = 10_000_000;

/** Rounds a split search stays exact at least (xdiff's XDL_MAX_COST_MIN): small diffs are always minimal. */
const MIN_EXACT_ROUNDS = 256;

/** Splits text into lines that keep their `\n`; a last line without one stays as it is. */
export function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/**
 * An edit script turning `before` into `after`: Myers' O(ND) algorithm in its
 * linear-space form (split at the middle snake, recurse), which is minimal
 * while it is cheap. Where the search gets expensive (large, much-changed
 * regions) it cuts between lines unique to both sides (patience diff) or
 * where the search got furthest, trading minimality for time, like git.
 */
export function diffLines(
  before: readonly string[],
  after: readonly string[],
  workBudget = MAX_DIFF_WORK,
): LineOp[] {
  const [a, b] = internLines(before, after);
  const script: LineOpKind[] = [];
  diffRange(a, b, script, { left: workBudget });
  const ops: LineOp[] = [];
  let oldIndex = 0;
  let newIndex = 0;
  for (const kind of script) {
    ops.push({ kind, line: kind === 'insert' ? after[newIndex]! : before[oldIndex]!, oldIndex, newIndex });
    if (kind !== 'insert') oldIndex++;
    if (kind !== 'delete') newIndex++;
  }
  return ops;
}

/** Lines as small integers, so the search compares numbers instead of strings. */
function internLines(before: readonly string[], after: readonly string[]): [Int32Array, Int32Array] {
  const ids = new Map<string, number>();
  const encode = (lines: readonly string[]) =>
    Int32Array.from(lines, (line) => {
      let id = ids.get(line);
      if (id === undefined) ids.set(line, (id = ids.size));
      return id;
    });
  return [encode(before), encode(after)];
}

function repeat(script: LineOpKind[], kind: LineOpKind, count: number): void {
  for (let i = 0; i < count; i++) script.push(kind);
}

/** Appends the script for a → b: common head and tail as they are, the middle split and solved recursively. */
function diffRange(a: Int32Array, b: Int32Array, script: LineOpKind[], budget: { left: number }): void {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  )
    tail++;
  repeat(script, 'equal', head);
  diffMiddle(a.subarray(head, a.length - tail), b.subarray(head, b.length - tail), script, budget);
  repeat(script, 'equal', tail);
}

/** Appends the script for sides that differ at both ends: split at the middle snake, or between unique lines when that got expensive. */
function diffMiddle(a: Int32Array, b: Int32Array, script: LineOpKind[], budget: { left: number }): void {
  const split = a.length > 0 && b.length > 0 ? middleSplit(a, b, budget) : null;
  if (!split) {
    repeat(script, 'delete', a.length);
    repeat(script, 'insert', b.length);
    return;
  }
  budget.left -= split.exact ? 0 : a.length + b.length;
  const anchors = split.exact ? [] : uniqueAnchors(a, b);
  if (anchors.length === 0 && !split.exact && !sharesALine(a, b)) {
    repeat(script, 'delete', a.length);
    repeat(script, 'insert', b.length);
    return;
  }
  if (anchors.length === 0) {
    diffRange(a.subarray(0, split.x), b.subarray(0, split.y), script, budget);
    diffRange(a.subarray(split.x), b.subarray(split.y), script, budget);
    return;
  }
  let fromA = 0;
  let fromB = 0;
  for (const [anchorA, anchorB] of anchors) {
    diffRange(a.subarray(fromA, anchorA), b.subarray(fromB, anchorB), script, budget);
    script.push('equal');
    fromA = anchorA + 1;
    fromB = anchorB + 1;
  }
  diffRange(a.subarray(fromA), b.subarray(fromB), script, budget);
}

/** Whether any line is on both sides (if none, searching for a split is wasted work). */
function sharesALine(a: Int32Array, b: Int32Array): boolean {
  const inA = new Set(a);
  return b.some((id) => inA.has(id));
}

/** Where to cut a problem in two; `exact` when the cut lies on a shortest path. */
interface Split {
  x: number;
  y: number;
  exact: boolean;
}

/**
 * Runs the forward and the backward search at once until their paths overlap;
 * the overlap point lies on a shortest path, so solving both halves solves the
 * whole. When that takes too many rounds, cuts at the point either search
 * got furthest to (a good cut, not always an optimal one). Null when there
 * is nothing to split on, or the work budget ran out.
 * (The bookkeeping follows diff-match-patch's `bisect`.)
 */
function middleSplit(a: Int32Array, b: Int32Array, budget: { left: number }): Split | null {
  const n = a.length;
  const m = b.length;
  const maxD = Math.ceil((n + m) / 2);
  const offset = maxD;
  const forward = new Int32Array(2 * maxD + 2).fill(-1);
  const backward = new Int32Array(2 * maxD + 2).fill(-1);
  forward[offset + 1] = 0;
  backward[offset + 1] = 0;
  const delta = n - m;
  // With an odd delta the forward search detects the overlap, with an even one the backward search.
  const forwardMeets = delta % 2 !== 0;
  // Diagonals whose paths left the grid are skipped from then on.
  let forwardStart = 0;
  let forwardEnd = 0;
  let backwardStart = 0;
  let backwardEnd = 0;
  // Too expensive to stay exact (xdiff's heuristic): after this many rounds split where a search got furthest.
  const exactRounds = Math.max(MIN_EXACT_ROUNDS, Math.ceil(Math.sqrt(n + m)));
  let furthest = { progress: 0, x: 0, y: 0 };
  for (let d = 0; d < maxD; d++) {
    budget.left -= 2 * d + 1;
    if (budget.left < 0) return null;
    for (let k = -d + forwardStart; k <= d - forwardEnd; k += 2) {
      const at = offset + k;
      let x =
        k === -d || (k !== d && forward[at - 1]! < forward[at + 1]!)
          ? forward[at + 1]!
          : forward[at - 1]! + 1;
      let y = x - k;
      const from = x;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      budget.left -= x - from;
      forward[at] = x;
      if (x > n) forwardEnd += 2;
      else if (y > m) forwardStart += 2;
      else {
        if (x + y > furthest.progress) furthest = { progress: x + y, x, y };
        const mirror = offset + delta - k;
        const meets = mirror >= 0 && mirror < forward.length && backward[mirror] !== -1;
        if (forwardMeets && meets && x >= n - backward[mirror]!) return splitPoint(x, y, n, m, true);
      }
    }
    for (let k = -d + backwardStart; k <= d - backwardEnd; k += 2) {
      const at = offset + k;
      let x =
        k === -d || (k !== d && backward[at - 1]! < backward[at + 1]!)
          ? backward[at + 1]!
          : backward[at - 1]! + 1;
      let y = x - k;
      const from = x;
      while (x < n && y < m && a[n - x - 1] === b[m - y - 1]) {
        x++;
        y++;
      }
      budget.left -= x - from;
      backward[at] = x;
      if (x > n) backwardEnd += 2;
      else if (y > m) backwardStart += 2;
      else {
        if (x + y > furthest.progress) furthest = { progress: x + y, x: n - x, y: m - y };
        const mirror = offset + delta - k;
        const meets = mirror >= 0 && mirror < forward.length && forward[mirror] !== -1;
        if (!forwardMeets && meets && forward[mirror]! >= n - x)
          return splitPoint(forward[mirror]!, offset + forward[mirror]! - mirror, n, m, true);
      }
    }
    if (d >= exactRounds) return splitPoint(furthest.x, furthest.y, n, m, false);
  }
  return null;
}

/** A split that leaves one side whole would recurse forever; treat it as no split. */
function splitPoint(x: number, y: number, n: number, m: number, exact: boolean): Split | null {
  return (x === 0 && y === 0) || (x === n && y === m) ? null : { x, y, exact };
}
