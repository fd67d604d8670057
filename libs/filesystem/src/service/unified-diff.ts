import { diffLines, splitLines } from './line-diff';
import type { LineOp } from './line-diff';

export interface UnifiedDiffOptions {
  /** The `---` header name, e.g. `a/docs/x.md@v1`. */
  oldLabel: string;
  /** The `+++` header name. */
  newLabel: string;
  /** Unchanged lines shown around each change (3, like diff -u). */
  context?: number;
}

const NO_NEWLINE = '\\ No newline at end of file\n';
const PREFIX = { equal: ' ', delete: '-', insert: '+' } as const;

/** A unified diff of two texts (GNU `diff -u` format); empty when they are equal. */
export function unifiedDiff(oldText: string, newText: string, options: UnifiedDiffOptions): string {
  const ops = diffLines(splitLines(oldText), splitLines(newText));
  const hunks = groupHunks(ops, options.context ?? 3);
  if (hunks.length === 0) return '';
  return `--- ${options.oldLabel}\n+++ ${options.newLabel}\n${hunks.map(formatHunk).join('')}`;
}

/** Changes with their context; changes closer than two contexts apart share a hunk. */
function groupHunks(ops: readonly LineOp[], context: number): LineOp[][] {
  const hunks: LineOp[][] = [];
  let next = 0;
  while (next < ops.length) {
    let firstChange = next;
    while (firstChange < ops.length && ops[firstChange]!.kind === 'equal') firstChange++;
    if (firstChange === ops.length) break;
    let lastChange = firstChange;
    for (let index = firstChange + 1; index < ops.length && index - lastChange <= 2 * context + 1; index++)
      if (ops[index]!.kind !== 'equal') lastChange = index;
    const start = Math.max(next, firstChange - context);
    const end = Math.min(ops.length, lastChange + context + 1);
    hunks.push(ops.slice(start, end));
    next = end;
  }
  return hunks;
}

function formatHunk(hunk: readonly LineOp[]): string {
  const first = hunk[0]!;
  const oldCount = hunk.filter((op) => op.kind !== 'insert').length;
  const newCount = hunk.filter((op) => op.kind !== 'delete').length;
  const header = `@@ -${range(first.oldIndex, oldCount)} +${range(first.newIndex, newCount)} @@\n`;
  const body = hunk.map((op) => {
    const line = `${PREFIX[op.kind]}${op.line}`;
    return op.line.endsWith('\n') ? line : `${line}\n${NO_NEWLINE}`;
  });
  return header + body.join('');
}

/** `start,count` with 1-based start; an empty range names the line before it, and a count of 1 is implied. */
function range(linesBefore: number, count: number): string {
  if (count === 1) return `${linesBefore + 1}`;
  return `${count === 0 ? linesBefore : linesBefore + 1},${count}`;
}
