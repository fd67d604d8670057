/**
 * Patience-diff anchors: the lines that occur exactly once on each side, as
 * [oldIndex, newIndex] pairs, reduced to their longest run that is in order
 * on both sides. Such lines (a function signature, a unique statement) almost
 * always belong to the same place in both versions, so diffing between them
 * keeps moved and heavily edited regions apart. Lines are interned ids.
 */
export function uniqueAnchors(a: Int32Array, b: Int32Array): [number, number][] {
  // Per line id: its index in a while seen once, -1 once seen again.
  const onceInA = new Map<number, number>();
  a.forEach((id, index) => onceInA.set(id, onceInA.has(id) ? -1 : index));
  const onceInB = new Map<number, number>();
  b.forEach((id, index) => onceInB.set(id, onceInB.has(id) ? -1 : index));
  const pairs: [number, number][] = [];
  for (const [id, indexInB] of onceInB) {
    const indexInA = onceInA.get(id);
    if (indexInB >= 0 && indexInA !== undefined && indexInA >= 0) pairs.push([indexInA, indexInB]);
  }
  pairs.sort((x, y) => x[0] - y[0]);
  return longestIncreasing(pairs);
}

/** The longest subsequence of pairs (sorted by old index) whose new indexes increase too: patience sorting, O(n log n). */
function longestIncreasing(pairs: readonly [number, number][]): [number, number][] {
  // tails[l]: the pair ending the best run of length l + 1 found so far (smallest new index wins).
  const tails: number[] = [];
  const previous = new Int32Array(pairs.length).fill(-1);
  pairs.forEach(([, newIndex], index) => {
    let low = 0;
    let high = tails.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (pairs[tails[mid]!]![1] < newIndex) low = mid + 1;
      else high = mid;
    }
    if (low > 0) previous[index] = tails[low - 1]!;
    tails[low] = index;
  });
  const run: [number, number][] = [];
  for (let at = tails.length > 0 ? tails[tails.length - 1]! : -1; at >= 0; at = previous[at]!)
    run.push(pairs[at]!);
  return run.reverse();
}
