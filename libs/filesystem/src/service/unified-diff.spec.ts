import { diffLines, splitLines } from './line-diff';
import { unifiedDiff } from './unified-diff';

const labels = { oldLabel: 'a/f.txt@v1', newLabel: 'b/f.txt@v2' };
const lines = (count: number, from = 1) => Array.from({ length: count }, (_, i) => `line ${i + from}\n`);

/** Longest common subsequence length by dynamic programming: the reference for minimality. */
function lcsLength(a: readonly string[], b: readonly string[]): number {
  let row = new Array<number>(b.length + 1).fill(0);
  for (const lineA of a) {
    const next = [0];
    for (let j = 0; j < b.length; j++)
      next.push(lineA === b[j] ? row[j]! + 1 : Math.max(row[j + 1]!, next[j]!));
    row = next;
  }
  return row[b.length]!;
}

/** A tiny deterministic PRNG, so failures reproduce. */
function random(seed: number): () => number {
  return () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
}

describe('splitLines', () => {
  it('keeps line ends and a last line without one', () => {
    expect(splitLines('a\nb\n')).toEqual(['a\n', 'b\n']);
    expect(splitLines('a\n\nb')).toEqual(['a\n', '\n', 'b']);
    expect(splitLines('')).toEqual([]);
    expect(splitLines('x\r\n')).toEqual(['x\r\n']);
  });
});

describe('diffLines', () => {
  it('produces a minimal script that rebuilds both sides (random cases against an LCS reference)', () => {
    const next = random(42);
    for (let round = 0; round < 2000; round++) {
      const alphabet = ['a\n', 'b\n', 'c\n', 'd\n'];
      const pick = (length: number) => Array.from({ length }, () => alphabet[Math.floor(next() * 4)]!);
      const before = pick(Math.floor(next() * 16));
      const after = pick(Math.floor(next() * 16));
      const ops = diffLines(before, after);
      expect(ops.filter((op) => op.kind !== 'insert').map((op) => op.line)).toEqual(before);
      expect(ops.filter((op) => op.kind !== 'delete').map((op) => op.line)).toEqual(after);
      expect(ops.filter((op) => op.kind === 'equal')).toHaveLength(lcsLength(before, after));
    }
  });

  it('stays minimal on a large file with many scattered changes', () => {
    const before = lines(20_000);
    const after = before.map((line, index) => (index % 7 === 0 ? `changed ${index}\n` : line));
    const ops = diffLines(before, after);
    expect(ops.filter((op) => op.kind === 'equal')).toHaveLength(20_000 - Math.ceil(20_000 / 7));
  });

  it('keeps a moved block apart from the rest when the exact search gets expensive', () => {
    const before = lines(25_000);
    const after = [...before.slice(5_000, 20_000), ...before.slice(0, 5_000), ...before.slice(20_000)];
    const ops = diffLines(before, after);
    expect(ops.filter((op) => op.kind !== 'insert').map((op) => op.line)).toEqual(before);
    expect(ops.filter((op) => op.kind !== 'delete').map((op) => op.line)).toEqual(after);
    expect(ops.filter((op) => op.kind === 'equal')).toHaveLength(20_000);
  });

  it('reports the unsolved rest as a replacement once the work budget is spent, still rebuilding both sides', () => {
    const before = lines(500);
    const after = before.map((line, index) => (index % 3 === 0 ? `changed ${index}\n` : line));
    const ops = diffLines(before, after, 1000);
    expect(ops.filter((op) => op.kind !== 'insert').map((op) => op.line)).toEqual(before);
    expect(ops.filter((op) => op.kind !== 'delete').map((op) => op.line)).toEqual(after);
    expect(ops.filter((op) => op.kind === 'equal').length).toBeLessThan(lcsLength(before, after));
  });
});

describe('unifiedDiff', () => {
  it('is empty for equal texts', () => {
    expect(unifiedDiff('same\n', 'same\n', labels)).toBe('');
    expect(unifiedDiff('', '', labels)).toBe('');
  });

  it('shows a one-line change with three lines of context', () => {
    const before = lines(10).join('');
    const after = before.replace('line 5\n', 'line five\n');
    expect(unifiedDiff(before, after, labels)).toBe(
      [
        '--- a/f.txt@v1',
        '+++ b/f.txt@v2',
        '@@ -2,7 +2,7 @@',
        ' line 2',
        ' line 3',
        ' line 4',
        '-line 5',
        '+line five',
        ' line 6',
        ' line 7',
        ' line 8',
        '',
      ].join('\n'),
    );
  });

  it('splits distant changes into hunks and merges close ones', () => {
    const before = lines(30);
    const after = [...before];
    after[1] = 'changed 2\n';
    after[8] = 'changed 9\n'; // six unchanged lines apart from the first: same hunk
    after[25] = 'changed 26\n'; // far away: its own hunk
    const diff = unifiedDiff(before.join(''), after.join(''), labels);
    expect(diff.match(/^@@ .* @@$/gm)).toEqual(['@@ -1,12 +1,12 @@', '@@ -23,7 +23,7 @@']);
  });

  it('numbers insertions into and deletions from empty files like diff -u', () => {
    expect(unifiedDiff('', 'a\nb\n', labels)).toBe(
      '--- a/f.txt@v1\n+++ b/f.txt@v2\n@@ -0,0 +1,2 @@\n+a\n+b\n',
    );
    expect(unifiedDiff('a\n', '', labels)).toBe('--- a/f.txt@v1\n+++ b/f.txt@v2\n@@ -1 +0,0 @@\n-a\n');
    expect(unifiedDiff('a\nb\n', 'a\nx\nb\n', labels)).toContain('@@ -1,2 +1,3 @@\n a\n+x\n b\n');
  });

  it('marks a last line without a newline', () => {
    expect(unifiedDiff('a\nb', 'a\nb\n', labels)).toBe(
      '--- a/f.txt@v1\n+++ b/f.txt@v2\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n',
    );
  });
});
