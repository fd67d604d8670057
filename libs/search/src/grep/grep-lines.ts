// Line matching with ripgrep's output model: lines end at '\n' (a '\r' before it stays
// part of the line, as rg does without --crlf), columns are 1-based byte offsets.
//
// The regex is not run line by line: literals use find() over the whole text; other
// patterns are narrowed with the DFA (whole text, blocks of lines, lines). Each line
// is matched on its own, so a construct that could match '\n' cannot join lines.
//
// Context: every match lists its own neighbours (up to contextBefore/After lines,
// clipped to the file) even when they are matches themselves or overlap another
// match's context; callers that print rg-style groups can merge them by line number.
// Text is decoded as UTF-8 with U+FFFD for invalid bytes; columns still count the
// file's raw bytes, as rg's do.
import { findClassRun, findClassRunInBytes } from './class-run';
import type { CompiledGrep, GrepOptions } from './grep-pattern';

export interface GrepLineMatch {
  /** 1-based line number. */
  line: number;
  /** 1-based byte offset of the first match in the line (1 for inverted matches). */
  column: number;
  /** The line without its '\n'. */
  text: string;
  before: string[];
  after: string[];
}

export interface GrepContentOptions extends GrepOptions {
  contextBefore?: number;
  contextAfter?: number;
  /** Stop after this many matching lines (like rg -m); `truncated` tells if more existed. */
  maxMatches?: number;
}

export interface GrepContentResult {
  matches: GrepLineMatch[];
  truncated: boolean;
}

const BINARY_SNIFF_BYTES = 8192;

/** rg's heuristic: a NUL byte near the start means binary. */
export function looksBinary(content: Uint8Array): boolean {
  return content.subarray(0, BINARY_SNIFF_BYTES).includes(0);
}

const BLOCK_LINES = 32;

/** Raw bytes one decoded code point came from: a valid sequence or a maximal invalid subpart. */
function utf8Step(raw: Uint8Array, p: number): number {
  const b = raw[p] as number;
  let need: number;
  let lo = 0x80;
  let hi = 0xbf;
  if (b < 0x80) return 1;
  if (b >= 0xc2 && b <= 0xdf) need = 1;
  else if (b >= 0xe0 && b <= 0xef) {
    need = 2;
    if (b === 0xe0) lo = 0xa0;
    if (b === 0xed) hi = 0x9f;
  } else if (b >= 0xf0 && b <= 0xf4) {
    need = 3;
    if (b === 0xf0) lo = 0x90;
    if (b === 0xf4) hi = 0x8f;
  } else return 1;
  let k = 1;
  for (; k <= need; k++) {
    const c = raw[p + k];
    if (c === undefined || c < lo || c > hi) break;
    lo = 0x80;
    hi = 0xbf;
  }
  return k;
}

/** Bytes of raw, from p, that decoded into prefix (which holds replacement characters). */
function rawPrefixBytes(raw: Uint8Array, p: number, prefix: string): number {
  const from = p;
  for (const ch of prefix) p += ch === '\ufffd' ? utf8Step(raw, p) : Buffer.byteLength(ch, 'utf8');
  return p - from;
}

/** Column (UTF-16 index in line) of the first match in a single line, or -1. */
function firstMatch(line: string, c: CompiledGrep): number {
  const m = c.matcher.matcher(line);
  return m.find() ? m.start(c.group) : -1;
}

/**
 * Calls onLine(lineStart, lineEnd, matchStart) for each line with a match, in order;
 * offsets are UTF-16 indexes into text. onLine returns false to stop. `raw` is the file
 * when each of its bytes decoded to one UTF-16 unit (ASCII), so offsets agree.
 */
function scanLines(
  text: string,
  raw: Uint8Array | null,
  c: CompiledGrep,
  onLine: (start: number, end: number, at: number) => boolean,
): void {
  // The empty string after a final '\n' is not a line (rg agrees).
  const lastStart = text.endsWith('\n') ? text.length - 1 : text.length;
  if (text.length === 0) return;
  const re2 = c.matcher.re2();
  if (re2.prefixComplete && re2.numSubexp === 0) {
    // A plain literal: find() runs on indexOf, far faster than anything below.
    const m = c.matcher.matcher(text);
    for (let pos = 0; pos <= lastStart && m.find(pos);) {
      const at = m.start();
      if (at > lastStart) return;
      const start = at === 0 ? 0 : text.lastIndexOf('\n', at - 1) + 1;
      let end = text.indexOf('\n', at);
      if (end < 0) end = text.length;
      if (!onLine(start, end, at)) return;
      pos = end + 1;
    }
    return;
  }
  // Otherwise find() would run the slow capturing NFA over the whole text, so narrow
  // down with the DFA (test) — whole text, then blocks of lines, then single lines —
  // and locate the column on the matching line only. A line's match is also a match
  // of any block of whole lines around it, so no line is skipped wrongly.
  // Before that, the pattern's class run (when it has one) rules out every file, block
  // and line that lacks it: a line's match contains it.
  const run = c.classRun;
  const find = (from: number): number =>
    raw ? findClassRunInBytes(raw, run!, from, raw.length) : findClassRun(text, run!, from, text.length);
  let hit = run ? find(0) : 0;
  if (hit < 0) return;
  /** Whether text[start, end) holds the run; starts never decrease between calls. */
  const hasRun = (start: number, end: number): boolean => {
    if (!run) return true;
    if (hit >= 0 && hit < start) hit = find(start);
    return hit >= 0 && hit < end;
  };
  if (!c.matcher.test(text)) return;
  for (let blockStart = 0; blockStart <= lastStart;) {
    let blockEnd = blockStart - 1;
    for (let k = 0; k < BLOCK_LINES && blockEnd < lastStart; k++) {
      const nl = text.indexOf('\n', blockEnd + 1);
      blockEnd = nl < 0 ? text.length : nl;
    }
    if (hasRun(blockStart, blockEnd) && c.matcher.test(text.slice(blockStart, blockEnd))) {
      for (let start = blockStart; start <= blockEnd && start <= lastStart;) {
        let end = text.indexOf('\n', start);
        if (end < 0 || end > blockEnd) end = blockEnd;
        const line = text.slice(start, end);
        if (hasRun(start, end) && c.matcher.test(line)) {
          const col = firstMatch(line, c);
          if (col >= 0 && !onLine(start, end, start + col)) return;
        }
        start = end + 1;
      }
    }
    blockStart = blockEnd + 1;
  }
}

export function grepContent(
  content: Buffer,
  compiled: CompiledGrep,
  options: GrepContentOptions,
): GrepContentResult {
  // No line can match: skip decoding (inverted searches report every line, below).
  const run = compiled.classRun;
  if (!options.invert && run && findClassRunInBytes(content, run, 0, content.length) < 0)
    return { matches: [], truncated: false };
  const text = content.toString('utf8');
  // Equal lengths: every byte became one UTF-16 unit (a longer sequence gives fewer).
  const raw = text.length === content.length ? content : null;
  const max = options.maxMatches ?? Infinity;
  const before = Math.max(0, options.contextBefore ?? 0);
  const after = Math.max(0, options.contextAfter ?? 0);
  const lastStart = text.endsWith('\n') ? text.length - 1 : text.length;
  const matches: GrepLineMatch[] = [];
  let truncated = false;
  if (max <= 0) {
    const probe = grepContent(content, compiled, {
      ...options,
      maxMatches: 1,
      contextBefore: 0,
      contextAfter: 0,
    });
    return { matches, truncated: probe.matches.length > 0 };
  }

  // Line numbers advance incrementally: count '\n's from the last line seen.
  let countedTo = 0;
  let lineNo = 1;
  const lineNumberAt = (start: number): number => {
    for (let p = text.indexOf('\n', countedTo); p >= 0 && p < start; p = text.indexOf('\n', p + 1)) lineNo++;
    countedTo = start;
    return lineNo;
  };
  const contextOf = (start: number, end: number): { before: string[]; after: string[] } => {
    const b: string[] = [];
    for (let s = start; b.length < before && s > 0;) {
      // lastIndexOf treats a negative start as 0, which would find a '\n' at 0.
      const prev = s >= 2 ? text.lastIndexOf('\n', s - 2) + 1 : 0;
      b.unshift(text.slice(prev, s - 1));
      s = prev;
    }
    const a: string[] = [];
    for (let e = end; a.length < after && e < lastStart;) {
      let next = text.indexOf('\n', e + 1);
      if (next < 0) next = text.length;
      a.push(text.slice(e + 1, next));
      e = next;
    }
    return { before: b, after: a };
  };
  // Raw offset of a line start, walking '\n' bytes (they decode 1:1); only for lines
  // with replacement characters, where decoded and raw byte counts differ.
  let rawLine = 1;
  let rawPos = 0;
  const rawLineStart = (line: number): number => {
    for (; rawLine < line; rawLine++) rawPos = content.indexOf(10, rawPos) + 1;
    return rawPos;
  };
  const emit = (start: number, end: number, at: number): boolean => {
    if (matches.length >= max) {
      truncated = true;
      return false;
    }
    const line = lineNumberAt(start);
    const prefix = text.slice(start, at);
    const column = prefix.includes('\ufffd')
      ? rawPrefixBytes(content, rawLineStart(line), prefix) + 1
      : Buffer.byteLength(prefix, 'utf8') + 1;
    matches.push({ line, column, text: text.slice(start, end), ...contextOf(start, end) });
    return true;
  };

  if (!options.invert) {
    scanLines(text, raw, compiled, emit);
    return { matches, truncated };
  }
  // Inverted: every line between two matching lines is reported.
  let next = 0;
  const emitUpTo = (limit: number): boolean => {
    while (next < limit && next <= lastStart) {
      let end = text.indexOf('\n', next);
      if (end < 0) end = text.length;
      if (!emit(next, end, next)) return false;
      next = end + 1;
    }
    return true;
  };
  let stopped = false;
  scanLines(text, raw, compiled, (start, end) => {
    if (!emitUpTo(start)) return !(stopped = true);
    next = end + 1;
    return true;
  });
  if (!stopped && text.length > 0) emitUpTo(Infinity);
  return { matches, truncated };
}
