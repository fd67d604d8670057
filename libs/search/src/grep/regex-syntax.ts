// A small parser for RE2 syntax. re2js does not export its own parser, so this one
// does two jobs in one pass: it rewrites the pattern to ripgrep's semantics (Unicode
// \d \w \s, no match ever spans a line terminator, \A \z are line anchors) and it
// builds a simplified tree that the literal extractor walks. Anything it does not
// understand throws SyntaxIssue; the caller then asks re2js for the real message.

export type ReNode =
  | { t: 'lit'; cp: number; fold: boolean }
  // A character class; cps lists its members when there are few of them, else null;
  // ranges lists them as [lo, hi] pairs when the class is positive and names no set.
  | { t: 'set'; cps: number[] | null; fold: boolean; ranges?: Array<[number, number]> }
  | { t: 'empty' }
  | { t: 'cat'; of: ReNode[] }
  | { t: 'alt'; of: ReNode[] }
  | { t: 'rep'; sub: ReNode; min: number; max: number };

export class SyntaxIssue extends Error {
  /** `unsupported` marks features RE2 lacks (backreferences, lookaround) rather than typos. */
  constructor(
    readonly reason: string,
    readonly unsupported = false,
  ) {
    super(reason);
  }
}

export const NEWLINE_LITERAL_REASON = `the literal '"\\n"' is not allowed in a regex`;

// Rust regex's Unicode classes (what rg uses), spelled for RE2; bracket-member form.
const WORD = '\\p{Alphabetic}\\p{M}\\p{Nd}\\p{Pc}\\x{200C}\\x{200D}';
const SPACE_NO_NL =
  '\\t\\x0B\\f\\r \\x{85}\\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}';
export const NOT_WORD_CLASS = `[^${WORD}\\n]`;
const SET_MAX = 4;

const SIMPLE_ESCAPES: Record<string, number> = { a: 7, f: 12, t: 9, n: 10, r: 13, v: 11 };
// POSIX classes that contain \n, rewritten without it.
const POSIX_NO_NL: Record<string, string> = {
  space: '\\t\\x0B\\f\\r ',
  cntrl: '\\x00-\\x09\\x0B-\\x1F\\x7F',
  ascii: '\\x00-\\x09\\x0B-\\x7F',
};

interface ClassItem {
  lo: number;
  hi: number;
  /** Bracket-member text for a named set (\d, \p{L}, [:alpha:]); ranges have none. */
  named?: string;
}

/** Parses `pattern` (RE2 syntax); `fold` is the initial case-insensitive flag. */
export function parseRegex(pattern: string, fold: boolean): { src: string; node: ReNode } {
  let i = 0;
  const peek = (k = 0): string => pattern[i + k] ?? '';
  const hex = (s: string): number => {
    if (!/^[0-9a-fA-F]+$/.test(s)) throw new SyntaxIssue('invalid escape');
    return parseInt(s, 16);
  };

  // Reads one escape after the backslash; returns a code point or a named set.
  function escape(): { cp: number } | { named: string; src: string; negated: boolean } {
    const c = peek();
    i++;
    if (c === '') throw new SyntaxIssue('trailing backslash');
    if (c >= '1' && c <= '9')
      throw new SyntaxIssue(`backreferences (\\${c}) are not supported by the linear-time engine`, true);
    if (c === 'k' || c === 'g')
      throw new SyntaxIssue(`backreferences (\\${c}) are not supported by the linear-time engine`, true);
    if (c in SIMPLE_ESCAPES) return { cp: SIMPLE_ESCAPES[c] as number };
    if (c === '0') {
      const m = /^[0-7]{0,2}/.exec(pattern.slice(i))?.[0] ?? '';
      i += m.length;
      return { cp: parseInt('0' + m, 8) };
    }
    if (c === 'x') {
      if (peek() === '{') {
        const end = pattern.indexOf('}', i);
        if (end < 0) throw new SyntaxIssue('invalid escape');
        const cp = hex(pattern.slice(i + 1, end));
        i = end + 1;
        return { cp };
      }
      const cp = hex(pattern.slice(i, i + 2).padEnd(2, 'z'));
      i += 2;
      return { cp };
    }
    const perl: Record<string, [string, boolean]> = {
      d: ['\\p{Nd}', false],
      D: ['\\p{Nd}', true],
      s: [SPACE_NO_NL, false],
      S: ['\\p{White_Space}', true],
      w: [WORD, false],
      W: [WORD, true],
    };
    const p = perl[c];
    if (p) {
      const [body, negated] = p;
      if (!negated) return { named: body, src: `[${body}]`, negated };
      // \W is no single bracket member in RE2; parseClass handles it (ASCII in [^...]).
      const member = c === 'W' ? '\\W' : c === 'D' ? '\\P{Nd}' : '\\P{White_Space}';
      return { named: member, src: `[^${body}\\n]`, negated };
    }
    if (c === 'p' || c === 'P') {
      let name: string;
      if (peek() === '{') {
        const end = pattern.indexOf('}', i);
        if (end < 0) throw new SyntaxIssue('invalid escape');
        name = pattern.slice(i + 1, end);
        i = end + 1;
      } else {
        name = peek();
        i++;
      }
      let negated = c === 'P';
      if (name.startsWith('^')) {
        negated = !negated;
        name = name.slice(1);
      }
      if (!/^[A-Za-z_]+$/.test(name)) throw new SyntaxIssue('invalid property');
      const pos = `\\p{${name}}`;
      return negated
        ? { named: `\\P{${name}}`, src: `[^${pos}\\n]`, negated }
        : { named: pos, src: pos, negated };
    }
    if (/[A-Za-z]/.test(c) || c.charCodeAt(0) > 0x7f) throw new SyntaxIssue(`invalid escape \\${c}`);
    return { cp: c.codePointAt(0) as number };
  }

  const escapeCp = (cp: number): string => `\\x{${cp.toString(16)}}`;

  function parseClass(): { src: string; node: ReNode } {
    i++; // [
    let negated = false;
    if (peek() === '^') {
      negated = true;
      i++;
    }
    const items: ClassItem[] = [];
    const single = (): number | ClassItem => {
      const c = pattern.codePointAt(i);
      if (c === undefined) throw new SyntaxIssue('missing closing ]');
      if (c === 0x5b /* [ */ && peek(1) === ':') {
        const end = pattern.indexOf(':]', i + 2);
        if (end < 0) throw new SyntaxIssue('bad posix class');
        let name = pattern.slice(i + 2, end);
        i = end + 2;
        const neg = name.startsWith('^');
        if (neg) name = name.slice(1);
        if (!/^[a-z]+$/.test(name)) throw new SyntaxIssue('bad posix class');
        const noNl = POSIX_NO_NL[name];
        return { lo: -1, hi: -1, named: noNl && !neg && !negated ? noNl : `[:${neg ? '^' : ''}${name}:]` };
      }
      if (c === 0x5c /* \ */) {
        i++;
        const e = escape();
        return 'cp' in e ? e.cp : { lo: -1, hi: -1, named: e.named };
      }
      i += c > 0xffff ? 2 : 1;
      return c;
    };
    let first = true;
    while (first || peek() !== ']') {
      first = false;
      const lo = single();
      if (typeof lo !== 'number') {
        items.push(lo);
        continue;
      }
      if (peek() === '-' && peek(1) !== ']' && peek(1) !== '') {
        i++;
        const hi = single();
        if (typeof hi !== 'number' || hi < lo) throw new SyntaxIssue('bad class range');
        items.push({ lo, hi });
      } else items.push({ lo, hi: lo });
    }
    i++; // ]
    let body = '';
    let notWord = false;
    for (const it of items) {
      // In a positive class \W becomes an alternative below, to stay Unicode-aware.
      if (it.named === '\\W' && !negated) notWord = true;
      else if (it.named !== undefined) body += it.named;
      // Drop \n from positive classes (a negated class gets \n appended below).
      else if (!negated && it.lo <= 10 && it.hi >= 10) {
        if (it.lo < 10) body += escapeCp(it.lo) + (it.lo < 9 ? '-' + escapeCp(9) : '');
        if (it.hi > 10) body += escapeCp(11) + (it.hi > 11 ? '-' + escapeCp(it.hi) : '');
      } else body += it.lo === it.hi ? escapeCp(it.lo) : `${escapeCp(it.lo)}-${escapeCp(it.hi)}`;
    }
    let src = negated ? `[^${body}\\n]` : body === '' ? '[^\\x00-\\x{10FFFF}]' : `[${body}]`;
    if (notWord) src = body === '' ? NOT_WORD_CLASS : `(?:${src}|${NOT_WORD_CLASS})`;
    let cps: number[] | null = null;
    if (!negated && items.every((it) => it.named === undefined)) {
      const set = new Set<number>();
      for (const it of items) {
        if (it.hi - it.lo >= SET_MAX) break;
        for (let cp = it.lo; cp <= it.hi; cp++) if (cp !== 10) set.add(cp);
      }
      const size = items.reduce((n, it) => n + it.hi - it.lo + 1, 0);
      if (size <= SET_MAX) cps = [...set];
    }
    const plain = !negated && items.every((it) => it.named === undefined);
    const ranges = plain ? items.map((it): [number, number] => [it.lo, it.hi]) : undefined;
    return { src, node: { t: 'set', cps, fold, ranges } };
  }

  // Parses one alternation up to ')' or the end; flags set by (?i) last to the group's end.
  function parseAlt(): { src: string; node: ReNode } {
    const saved = fold;
    const alts: ReNode[] = [];
    let seq: ReNode[] = [];
    let src = '';
    while (i < pattern.length && peek() !== ')') {
      if (peek() === '|') {
        i++;
        src += '|';
        alts.push({ t: 'cat', of: seq });
        seq = [];
        continue;
      }
      const atom = parseAtom();
      let { node } = atom;
      src += atom.src;
      const rep = /^(?:[*+?]|\{(\d+)(,(\d*))?\})\??/.exec(pattern.slice(i));
      if (rep) {
        const op = rep[0][0];
        let [min, max] = op === '*' ? [0, -1] : op === '+' ? [1, -1] : op === '?' ? [0, 1] : [0, 0];
        if (op === '{') {
          min = Number(rep[1]);
          max = rep[2] === undefined ? min : rep[3] === '' ? -1 : Number(rep[3]);
        }
        node = { t: 'rep', sub: node, min, max };
        src += rep[0];
        i += rep[0].length;
        if (/^[*+?]/.test(peek()) || (peek() === '{' && /^\{\d/.test(pattern.slice(i))))
          throw new SyntaxIssue('nested repetition');
      }
      seq.push(node);
    }
    alts.push({ t: 'cat', of: seq });
    fold = saved;
    return { src, node: alts.length === 1 ? (alts[0] as ReNode) : { t: 'alt', of: alts } };
  }

  function parseGroup(): { src: string; node: ReNode } {
    const start = i;
    i++; // (
    let open = '(';
    if (peek() === '?') {
      const rest = pattern.slice(i);
      if (/^\?(=|!)/.test(rest)) throw new SyntaxIssue(`lookaround (?${rest[1]}...) is not supported`, true);
      if (/^\?<(=|!)/.test(rest))
        throw new SyntaxIssue(`lookaround (?<${rest[2]}...) is not supported`, true);
      if (rest.startsWith('?P='))
        throw new SyntaxIssue('backreferences (?P=name) are not supported by the linear-time engine', true);
      const named = /^\?P?<[A-Za-z_][A-Za-z0-9_]*>/.exec(rest);
      const flags = /^\?([imsU]*)(?:-([imsU]+))?([:)])/.exec(rest);
      if (named) {
        i += named[0].length;
        open = '(' + named[0];
      } else if (flags && (flags[1] !== '' || flags[2] !== undefined || flags[3] === ':')) {
        i += flags[0].length;
        const on = flags[1] ?? '';
        const off = flags[2] ?? '';
        const newFold = off.includes('i') ? false : on.includes('i') ? true : fold;
        if (flags[3] === ')') {
          fold = newFold; // applies to the rest of the enclosing group
          return { src: pattern.slice(start, i), node: { t: 'empty' } };
        }
        open = '(' + flags[0];
        const outer = fold;
        fold = newFold;
        const inner = parseAlt();
        fold = outer;
        if (peek() !== ')') throw new SyntaxIssue('missing closing )');
        i++;
        return { src: open + inner.src + ')', node: inner.node };
      } else throw new SyntaxIssue('invalid or unsupported Perl syntax');
    } else i = start + 1;
    const inner = parseAlt();
    if (peek() !== ')') throw new SyntaxIssue('missing closing )');
    i++;
    return { src: open + inner.src + ')', node: inner.node };
  }

  function parseAtom(): { src: string; node: ReNode } {
    const c = peek();
    const start = i;
    if (c === '(') return parseGroup();
    if (c === '[') return parseClass();
    if (c === '*' || c === '+' || c === '?') throw new SyntaxIssue('missing argument to repetition operator');
    if (c === '.') {
      i++;
      return { src: '.', node: { t: 'set', cps: null, fold } };
    }
    if (c === '^' || c === '$') {
      i++;
      return { src: c, node: { t: 'empty' } };
    }
    if (c === '\\') {
      i++;
      const n = peek();
      if (n === 'A' || n === 'z') {
        i++;
        return { src: n === 'A' ? '(?m:^)' : '(?m:$)', node: { t: 'empty' } };
      }
      if (n === 'b' || n === 'B') {
        i++;
        return { src: '\\' + n, node: { t: 'empty' } };
      }
      if (n === 'C') throw new SyntaxIssue('\\C is not supported');
      if (n === 'Q') {
        const end = pattern.indexOf('\\E', i + 1);
        const text = pattern.slice(i + 1, end < 0 ? undefined : end);
        i = end < 0 ? pattern.length : end + 2;
        if (text.includes('\n')) throw new SyntaxIssue(NEWLINE_LITERAL_REASON);
        const of: ReNode[] = [...text].map((ch) => ({ t: 'lit', cp: ch.codePointAt(0) as number, fold }));
        return { src: pattern.slice(start, i), node: { t: 'cat', of } };
      }
      const e = escape();
      if ('cp' in e) {
        if (e.cp === 10) throw new SyntaxIssue(NEWLINE_LITERAL_REASON);
        return { src: pattern.slice(start, i), node: { t: 'lit', cp: e.cp, fold } };
      }
      return { src: e.src, node: { t: 'set', cps: null, fold } };
    }
    const cp = pattern.codePointAt(i) as number;
    if (cp === 10) throw new SyntaxIssue(NEWLINE_LITERAL_REASON);
    i += cp > 0xffff ? 2 : 1;
    return { src: pattern.slice(start, i), node: { t: 'lit', cp, fold } };
  }

  const out = parseAlt();
  if (i < pattern.length) throw new SyntaxIssue('unexpected )');
  return out;
}
