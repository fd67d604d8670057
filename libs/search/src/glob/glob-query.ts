import picomatch from 'picomatch';

/**
 * Compiles a picomatch glob into a PostgreSQL query over absolute zone paths.
 *
 * picomatch is the reference: we let it build its JavaScript regex and translate
 * that regex to a PostgreSQL ARE, rather than re-implementing glob semantics.
 * Anything whose meaning differs between the two engines is rejected.
 */
export interface GlobQuery {
  /** Every matching absolute path starts with this (a btree range scan on `path COLLATE "C"`); at least the base path, e.g. "/src/" */
  rangePrefix: string;
  /** A PostgreSQL ARE regex (operator `~`) matching exactly the absolute paths the glob matches. */
  regex: string;
}

export class InvalidGlobError extends Error {
  constructor(readonly reason: string) {
    super(`Invalid glob pattern: ${reason}`);
    this.name = 'InvalidGlobError';
  }
}

export const MAX_GLOB_LENGTH = 1000;

// Characters that end the literal leading part of a pattern (glob syntax, escapes, quotes, NUL).
const GLOB_SYNTAX = /[*?[\]{}()!@+|\\^$"\0]/;
// JavaScript's `.` excludes line terminators; PostgreSQL's (non newline-sensitive) `.` does not.
const JS_DOT = '[^\\n\\r\\u2028\\u2029]';
const CLASS_SETS: Record<string, string> = { d: '0-9', w: 'A-Za-z0-9_' };
const CONTROL_ESCAPES: Record<string, number> = { t: 9, n: 10, v: 11, f: 12, r: 13 };
const POSIX_CLASSES =
  'alnum alpha ascii blank cntrl digit graph lower print punct space upper word xdigit'.split(' ');
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
// Outside brackets an ARE gives meaning only to these; "\\" + punctuation is always the literal.
const ARE_SPECIAL = '\\.[](){}*+?|^$';
// Inside brackets "[" may open "[:" "[." "[=", and "\\" "]" "^" "-" are syntax.
const CLASS_SPECIAL = '\\[]^-';

export function compileGlob(pattern: string, options: { basePath: string; dot?: boolean }): GlobQuery {
  const base = basePrefix(options.basePath);
  validatePattern(pattern);
  const jsRegex = picomatchRegex(pattern, options.dot === true);
  const anchor = escapeLiteral(base);
  // picomatch's `^` means "start of the relative path", i.e. right after the base prefix.
  const source = jsRegex.source.startsWith('^') ? jsRegex.source.slice(1) : jsRegex.source;
  let body = translate(source, `(?<=^${anchor})`);
  // picomatch also matches a path that equals the pattern verbatim (picomatch.test's `input === glob`).
  if (!jsRegex.test(pattern)) body += `|${escapeLiteral(pattern)}$`;
  return { rangePrefix: base + literalLead(pattern), regex: `^${anchor}(?:${body})` };
}

/** The base path as the prefix every path strictly below it starts with. */
function basePrefix(basePath: string): string {
  if (basePath === '/') return '/';
  if (!/^(\/[^/\0]+)+$/.test(basePath) || LONE_SURROGATE.test(basePath)) {
    throw new InvalidGlobError(
      `basePath ${JSON.stringify(basePath)} must be "/" or an absolute path without a trailing slash`,
    );
  }
  return `${basePath}/`;
}

function validatePattern(pattern: string): void {
  if (typeof pattern !== 'string' || pattern === '') throw new InvalidGlobError('pattern is empty');
  if (pattern.length > MAX_GLOB_LENGTH) {
    throw new InvalidGlobError(
      `pattern is ${pattern.length} characters long, the limit is ${MAX_GLOB_LENGTH}`,
    );
  }
  if (pattern.includes('\0')) throw new InvalidGlobError('pattern contains a NUL character');
  if (LONE_SURROGATE.test(pattern))
    throw new InvalidGlobError('pattern contains an unpaired UTF-16 surrogate');
  if (/^!*\//.test(pattern)) {
    throw new InvalidGlobError('pattern starts with "/"; patterns are relative to the base path');
  }
  if (/(^|[^\\])(\\\\)*\\$/.test(pattern))
    throw new InvalidGlobError('pattern ends with an unescaped backslash');
  if ((pattern.replace(/\\./g, '').match(/"/g) ?? []).length % 2 !== 0) {
    throw new InvalidGlobError('pattern has an unbalanced double quote (")');
  }
  for (const [posixClass, name = ''] of pattern.matchAll(/\[:(\w*):\]/g)) {
    if (!POSIX_CLASSES.includes(name)) throw new InvalidGlobError(`unknown POSIX class ${posixClass}`);
  }
  // picomatch turns {1..10} into the class [1-10] (0 or 1) and {01..03} into literal text: refuse both.
  for (const [range, inner = ''] of pattern.matchAll(/(?<!\\)\{([^{},]*\.\.[^{},]*)\}/g)) {
    if (!/^[^.]\.\.[^.]$/.test(inner)) {
      throw new InvalidGlobError(
        `brace range ${range}: only single-character ranges like {1..9} or {a..z} work`,
      );
    }
  }
  try {
    // strictBrackets makes picomatch report the unbalanced [ ] ( ) { } it would otherwise match literally.
    picomatch.makeRe(pattern, { strictBrackets: true, fastpaths: false, windows: false });
  } catch (error) {
    throw new InvalidGlobError(`unbalanced brackets: ${(error as Error).message}`);
  }
}

function picomatchRegex(pattern: string, dot: boolean): RegExp {
  try {
    // debug: surface the RegExp error instead of picomatch's silent never-matching /$^/.
    return picomatch.makeRe(pattern, { dot, windows: false, debug: true });
  } catch (error) {
    throw new InvalidGlobError(`picomatch builds an invalid regular expression: ${(error as Error).message}`);
  }
}

/** The pattern's fixed leading text: every path it matches (relative to the base) starts with it. */
function literalLead(pattern: string): string {
  if (pattern.startsWith('./')) return ''; // picomatch drops a leading "./"
  const end = pattern.search(GLOB_SYNTAX);
  if (end === -1) return pattern;
  const lead = pattern.slice(0, end);
  // "a/**" also matches "a" itself, so the slash before a globstar is optional.
  return lead.endsWith('/') && pattern.startsWith('**', end) ? lead.slice(0, -1) : lead;
}

function fail(construct: string): never {
  throw new InvalidGlobError(`${construct} cannot be translated to a PostgreSQL regular expression`);
}

const hex4 = (code: number): string => `\\u${code.toString(16).padStart(4, '0')}`;
const isSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdfff;

/** A literal BMP character outside a bracket expression; control characters as \\u escapes. */
function literal(code: number): string {
  const ch = String.fromCharCode(code);
  if (ARE_SPECIAL.includes(ch)) return `\\${ch}`;
  return (code >= 0x20 && code < 0x7f) || code >= 0xa0 ? ch : hex4(code);
}

/** A literal character inside a bracket expression. */
function classChar(code: number): string {
  if (isSurrogate(code)) fail('a non-BMP character (e.g. an emoji) inside [...]');
  const ch = String.fromCharCode(code);
  if (CLASS_SPECIAL.includes(ch)) return hex4(code);
  return (code >= 0x20 && code < 0x7f) || code >= 0xa0 ? ch : hex4(code);
}

function escapeLiteral(text: string): string {
  let out = '';
  for (const ch of text) out += ch.length > 1 ? ch : literal(ch.charCodeAt(0));
  return out;
}

interface Escape {
  length: number;
  code?: number;
  set?: string;
}

/** Reads a JavaScript (non-unicode-mode) escape at src[i] === "\\". */
function readEscape(src: string, i: number, inClass: boolean): Escape {
  const next = src[i + 1];
  if (next === undefined) fail('a trailing backslash');
  const set = CLASS_SETS[next];
  if (set) return { length: 2, set };
  const control = CONTROL_ESCAPES[next];
  if (control !== undefined) return { length: 2, code: control };
  if (inClass && next === 'b') return { length: 2, code: 8 };
  const digits = next === 'x' ? 2 : next === 'u' ? 4 : 0;
  const hex = src.slice(i + 2, i + 2 + digits);
  if (digits > 0 && new RegExp(`^[0-9a-fA-F]{${digits}}$`).test(hex)) {
    return { length: 2 + digits, code: parseInt(hex, 16) };
  }
  // Word boundaries, backreferences/octal, \c, \k and JS-specific \s \S \D \W have no exact ARE twin.
  if (/[0-9bBcDkSsW]/.test(next)) fail(`the regex escape \\${next}`);
  return { length: 2, code: src.charCodeAt(i + 1) };
}

/** Translates a JavaScript character class at src[i] === "[" into an ARE bracket expression. */
function translateClass(src: string, i: number): { out: string; end: number } {
  let j = i + 1;
  let out = '[';
  if (src[j] === '^') {
    out += '^';
    j++;
  }
  if (src[j] === ']') fail('an empty character class ([] or [^])');
  const atom = (): Escape => {
    if (src[j] === '\\') return readEscape(src, j, true);
    return { length: 1, code: src.charCodeAt(j) };
  };
  while (j < src.length && src[j] !== ']') {
    const first = atom();
    j += first.length;
    if (first.code === undefined) {
      out += first.set;
      continue;
    }
    if (src[j] === '-' && src[j + 1] !== ']' && j + 1 < src.length) {
      const saved = j;
      j++;
      const last = atom();
      if (last.code !== undefined) {
        j += last.length;
        out += `${classChar(first.code)}-${classChar(last.code)}`;
        continue;
      }
      j = saved; // "[a-\d]": the dash is literal in non-unicode JavaScript
    }
    out += classChar(first.code);
  }
  if (j >= src.length) fail('an unterminated character class');
  return { out: `${out}]`, end: j + 1 };
}

/**
 * Translates picomatch's JavaScript regex source to a PostgreSQL ARE. `caret` replaces `^`.
 * `last` tracks the previous atom so quantifiers the ARE would read differently are rejected.
 */
function translate(src: string, caret: string): string {
  let out = '';
  let last: 'none' | 'atom' | 'assertion' | 'astral' = 'none';
  const groups: Array<'group' | 'lookaround'> = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] ?? '';
    const code = src.charCodeAt(i);
    if (c === '\\') {
      if (src.charCodeAt(i + 1) >= 0x80) {
        i++; // identity escape of a non-ASCII character: read it as a plain character
        continue;
      }
      const esc = readEscape(src, i, false);
      out += esc.set !== undefined ? `[${esc.set}]` : literal(esc.code ?? 0);
      if (esc.code !== undefined && isSurrogate(esc.code)) fail('a \\u surrogate escape');
      i += esc.length;
      last = 'atom';
    } else if (c === '[') {
      const cls = translateClass(src, i);
      out += cls.out;
      i = cls.end;
      last = 'atom';
    } else if (c === '(') {
      // A lookbehind at the start of the relative path would see the base path in PostgreSQL only.
      if (/^\(\?<[=!]/.test(src.slice(i, i + 4))) fail('a regex lookbehind "(?<=" or "(?<!"');
      const look = /^\(\?[=!]/.exec(src.slice(i, i + 3));
      const named = /^\(\?<[A-Za-z_$][\w$]*>/.exec(src.slice(i));
      if (look) {
        out += look[0];
        i += look[0].length;
      } else if (src.startsWith('(?:', i) || named) {
        out += '(?:';
        i += named ? named[0].length : 3;
      } else if (src[i + 1] === '?') {
        fail('the regex group syntax "(?"');
      } else {
        out += '(?:'; // captures are not needed to decide a match
        i++;
      }
      groups.push(look ? 'lookaround' : 'group');
      last = 'none';
    } else if (c === ')') {
      out += ')';
      i++;
      last = groups.pop() === 'lookaround' ? 'assertion' : 'atom';
    } else if (c === '*' || c === '+' || c === '?' || (c === '{' && /^\{\d+(,\d*)?\}/.test(src.slice(i)))) {
      const quantifier = c === '{' ? (/^\{\d+(,\d*)?\}/.exec(src.slice(i))?.[0] ?? '') : c;
      // ARE bounds stop at 255; a quantified lookaround is an error; JS quantifies only half of an astral char.
      if ((quantifier.match(/\d+/g) ?? []).some((n) => Number(n) > 255))
        fail(`the repetition count ${quantifier}`);
      if (last === 'assertion') fail('a quantified lookaround or anchor');
      if (last === 'astral') fail('a quantifier after a non-BMP character');
      const lazy = src[i + quantifier.length] === '?' ? '?' : '';
      out += quantifier + lazy;
      i += quantifier.length + lazy.length;
      last = 'atom';
    } else if (c === '^' || c === '$') {
      out += c === '^' ? caret : '$';
      i++;
      last = 'assertion';
    } else if (c === '|') {
      out += '|';
      i++;
      last = 'none';
    } else if (c === '.') {
      out += JS_DOT;
      i++;
      last = 'atom';
    } else if (isSurrogate(code)) {
      const pair = src.slice(i, i + 2);
      if (pair.length !== 2 || LONE_SURROGATE.test(pair)) fail('an unpaired UTF-16 surrogate');
      out += pair;
      i += 2;
      last = 'astral';
    } else {
      out += literal(code);
      i++;
      last = 'atom';
    }
  }
  return out;
}
