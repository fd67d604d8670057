// Pattern compilation for grep: ripgrep-compatible semantics on the linear-time
// re2js engine, plus the literals every matching line must contain (used to skip
// files through the trigram index).
import { RE2JS } from 're2js';
import { necessaryClassRun, type ClassRun } from './class-run';
import { NEWLINE_LITERAL_REASON, NOT_WORD_CLASS, parseRegex, SyntaxIssue, type ReNode } from './regex-syntax';

export interface GrepOptions {
  ignoreCase?: boolean;
  literal?: boolean;
  wordRegexp?: boolean;
  invert?: boolean;
}

export class InvalidPatternError extends Error {
  constructor(readonly reason: string) {
    super(`invalid pattern: ${reason}`);
    this.name = 'InvalidPatternError';
  }
}

export type LiteralQuery =
  | { kind: 'any' }
  | { kind: 'literal'; bytes: Buffer }
  | { kind: 'and'; of: LiteralQuery[] }
  | { kind: 'or'; of: LiteralQuery[] };

export interface CompiledGrep {
  /** MULTILINE, rewritten to rg's semantics (Unicode classes, never matching '\n'). */
  matcher: RE2JS;
  required: LiteralQuery;
  /** Capture group holding the reported match (1 for -w, whose wrapper eats the boundaries). */
  group: number;
  /** Our parser disagreed with re2js, so the pattern runs as written (RE2's ASCII classes). */
  fallback: boolean;
  /** ASCII classes every match contains in a row (a prefilter, see class-run.ts), if any. */
  classRun: ClassRun | null;
}

export const MAX_PATTERN_BYTES = 4096;
const MAX_EXACT = 16; // alternatives kept while expanding a concatenation
const MAX_REPEAT_COPIES = 4;
const SET_MAX = 4;
const ANY: LiteralQuery = { kind: 'any' };

/**
 * Compiles a grep pattern (RE2 syntax, or a fixed string with `literal`). `invert` only
 * affects `required` (an inverted search can match any file); grepContent takes the
 * options again. Throws InvalidPatternError.
 */
export function compileGrep(pattern: string, options: GrepOptions): CompiledGrep {
  if (Buffer.byteLength(pattern, 'utf8') > MAX_PATTERN_BYTES) {
    throw new InvalidPatternError(`pattern is longer than ${MAX_PATTERN_BYTES} bytes`);
  }
  const fold = options.ignoreCase === true;
  const flags = RE2JS.MULTILINE | (fold ? RE2JS.CASE_INSENSITIVE : 0);
  const source = options.literal ? RE2JS.quote(pattern) : pattern;
  let parsed: { src: string; node: ReNode } | null = null;
  try {
    parsed = parseRegex(source, fold);
  } catch (e) {
    if (!(e instanceof SyntaxIssue)) throw e;
    if (e.unsupported || e.reason === NEWLINE_LITERAL_REASON) throw new InvalidPatternError(e.reason);
  }
  const wrap = (src: string): string =>
    options.wordRegexp ? `(?m:^|${NOT_WORD_CLASS})(${src})(?m:${NOT_WORD_CLASS}|$)` : src;
  const group = options.wordRegexp ? 1 : 0;
  if (parsed) {
    try {
      const matcher = RE2JS.compile(wrap(parsed.src), flags);
      const required = options.invert ? ANY : toQuery(info(parsed.node));
      return { matcher, required, group, fallback: false, classRun: necessaryClassRun(parsed.node) };
    } catch {
      // Fall through: the raw pattern decides (and explains) validity.
    }
  }
  // Our parser or rewrite disagreed with re2js: trust re2js, promise no literals.
  try {
    const matcher = RE2JS.compile(wrap(source), flags);
    return { matcher, required: ANY, group, fallback: true, classRun: null };
  } catch (e) {
    // Without flags, so the message quotes the pattern as the user wrote it.
    try {
      RE2JS.compile(source);
    } catch (plain) {
      throw new InvalidPatternError(re2Message(plain));
    }
    throw new InvalidPatternError(re2Message(e));
  }
}

function re2Message(e: unknown): string {
  if (e instanceof Error) return e.message.replace(/^error parsing regexp: /, '');
  return String(e);
}

// ---- literal extraction -------------------------------------------------------

/** `exact`: every string the node can match (when few); else `match` must hold. */
interface Info {
  exact: string[] | null;
  match: LiteralQuery;
}

const KELVIN = '\u212a';
const LONG_S = '\u017f';

/** The strings a code point can match, in index form (ASCII lowercased when folding). */
function variants(cp: number, fold: boolean): string[] | null {
  // U+FFFD also stands for undecodable bytes, which the file does not contain as such.
  if (cp === 0xfffd) return null;
  const ch = String.fromCodePoint(cp);
  if (!fold) return [ch];
  if (cp < 0x80) {
    const lower = ch.toLowerCase();
    // Simple case folding maps K to KELVIN SIGN and s to LONG S; rg -i matches them.
    if (lower === 'k') return ['k', KELVIN];
    if (lower === 's') return ['s', LONG_S];
    return [lower];
  }
  // A non-ASCII letter with case variants: the index does not fold it, so break here.
  return ch.toLowerCase() !== ch || ch.toUpperCase() !== ch ? null : [ch];
}

function info(node: ReNode): Info {
  switch (node.t) {
    case 'lit':
      return exactOrAny(variants(node.cp, node.fold));
    case 'set': {
      if (!node.cps) return exactOrAny(null);
      const out = new Set<string>();
      for (const cp of node.cps) {
        const v = variants(cp, node.fold);
        if (!v) return exactOrAny(null);
        v.forEach((s) => out.add(s));
      }
      return exactOrAny(out.size > 0 && out.size <= SET_MAX ? [...out] : null);
    }
    case 'empty':
      return { exact: [''], match: ANY };
    case 'cat':
      return concat(flatten(node.of));
    case 'alt': {
      const subs = node.of.map(info);
      if (subs.every((s) => s.exact)) {
        const union = [...new Set(subs.flatMap((s) => s.exact as string[]))];
        if (union.length <= MAX_EXACT) return { exact: union, match: ANY };
      }
      return { exact: null, match: or(subs.map(toQuery)) };
    }
    case 'rep': {
      if (node.min >= 1) return concat(flatten([node]));
      const sub = info(node.sub);
      if (node.max === 1 && sub.exact) return { exact: [...new Set(['', ...sub.exact])], match: ANY };
      return { exact: null, match: ANY };
    }
  }
}

const exactOrAny = (exact: string[] | null): Info => ({ exact, match: ANY });

const STAR: ReNode = { t: 'set', cps: null, fold: false };

/** Inlines nested concatenations and writes x{n,m} (n ≥ 1) as x…x followed by a break. */
function flatten(nodes: ReNode[]): ReNode[] {
  const out: ReNode[] = [];
  for (const n of nodes) {
    if (n.t === 'cat') out.push(...flatten(n.of));
    else if (n.t === 'rep' && n.min >= 1) {
      const copies = Math.min(n.min, MAX_REPEAT_COPIES);
      for (let k = 0; k < copies; k++) out.push(...flatten([n.sub]));
      if (n.max !== copies) out.push(STAR);
    } else out.push(n);
  }
  return out;
}

function concat(nodes: ReNode[]): Info {
  const parts: LiteralQuery[] = [];
  let cur: string[] = [''];
  let exactAll = true;
  for (const n of nodes) {
    const sub = info(n);
    if (sub.exact) {
      const product = cur.length * sub.exact.length;
      if (product <= MAX_EXACT) {
        const next = new Set<string>();
        for (const a of cur) for (const b of sub.exact) next.add(a + b);
        cur = [...next];
        continue;
      }
      parts.push(orOf(cur));
      cur = sub.exact;
      exactAll = false;
      continue;
    }
    exactAll = false;
    parts.push(orOf(cur), sub.match);
    cur = [''];
  }
  if (exactAll) return { exact: cur, match: ANY };
  parts.push(orOf(cur));
  return { exact: null, match: and(parts) };
}

const toQuery = (i: Info): LiteralQuery => (i.exact ? orOf(i.exact) : i.match);

function orOf(strings: string[]): LiteralQuery {
  if (strings.includes('')) return ANY;
  return or(strings.map((s) => ({ kind: 'literal', bytes: Buffer.from(s, 'utf8') })));
}

function key(q: LiteralQuery): string {
  if (q.kind === 'any') return '*';
  if (q.kind === 'literal') return 'L' + q.bytes.toString('hex');
  return `${q.kind}(${q.of.map(key).join(',')})`;
}

function dedupe(qs: LiteralQuery[]): LiteralQuery[] {
  const seen = new Map<string, LiteralQuery>();
  for (const q of qs) seen.set(key(q), q);
  return [...seen.values()];
}

export function and(qs: LiteralQuery[]): LiteralQuery {
  const flat = dedupe(qs.flatMap((q) => (q.kind === 'and' ? q.of : q.kind === 'any' ? [] : [q])));
  if (flat.length === 0) return ANY;
  return flat.length === 1 ? (flat[0] as LiteralQuery) : { kind: 'and', of: flat };
}

export function or(qs: LiteralQuery[]): LiteralQuery {
  if (qs.length === 0 || qs.some((q) => q.kind === 'any')) return ANY;
  const flat = dedupe(qs.flatMap((q) => (q.kind === 'or' ? q.of : [q])));
  return flat.length === 1 ? (flat[0] as LiteralQuery) : { kind: 'or', of: flat };
}
