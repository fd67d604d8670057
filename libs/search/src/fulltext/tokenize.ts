import { stem } from './stemmer';
import { synonymsOf } from './synonyms';
import { termHash } from './term-hash';

/**
 * Text analysis shared by indexing, querying and snippets, so all three agree
 * on what a "term" is.
 *
 * A word is a run of Unicode letters/digits (combining marks included, so a
 * decomposed "café" stays one word). Words joined by a single `_`, `-` or `.`
 * form one identifier (`parse_config`, `os.path`, `v1.2.3`, `well-known`).
 * Each word or identifier occupies ONE position and emits, at that position:
 *   - the whole identifier, lowercased, separators kept (`parse_config`,
 *     `httpserver`): exact matches stay precise and `1.2.3` never collides
 *     with `123`;
 *   - every separator-delimited segment (`parse`, `config`; `os`, `path`);
 *   - every camelCase/PascalCase part of a segment (`HTTPServer` → `http`,
 *     `server`; digits stay with their letters: `utf8Decoder` → `utf8`,
 *     `decoder`; a plural s stays on an acronym: `URLs` → `urls`).
 * So `parseConfig`, `parse_config` and `parse-config` all share the terms
 * `parse` and `config`. Parts share the position so a phrase query never
 * matches across the inside of one identifier and positions count tokens as
 * a reader sees them.
 *
 * Terms are NFKC-normalized and lowercased; pure a–z terms are Porter2-stemmed
 * (English rules would mangle other scripts, digits and separators). Stop
 * words are kept — BM25's IDF already makes them cheap. Terms over 64
 * characters (hashes, base64 blobs) are dropped, but their token still takes a
 * position so no phrase matches across the gap.
 */

export const MAX_TERM_LENGTH = 64;

export interface Token {
  /** UTF-16 offsets of the token in the analysed text. */
  start: number;
  end: number;
  /** Token ordinal, from 0. */
  position: number;
  /** Distinct terms emitted at this position; the whole token's term first. */
  terms: string[];
}

const WORD = String.raw`[\p{L}\p{N}][\p{L}\p{M}\p{N}]*`;
const TOKEN_PATTERN = new RegExp(`${WORD}(?:[_.\\-]${WORD})*`, 'gu');

const ASCII = /^[\x00-\x7f]*$/;

/** NFKC-normalised and lowercased (ASCII needs no normalisation: the common case, made cheap). */
function lower(s: string): string {
  return ASCII.test(s) ? s.toLowerCase() : s.normalize('NFKC').toLowerCase();
}

/** The terms of one token (an identifier or a plain word), unstemmed, lowercase. */
function rawTerms(token: string): string[] {
  const terms = [lower(token)];
  for (const segment of token.split(/[_.-]/)) {
    terms.push(lower(segment), ...camelParts(segment).map(lower));
  }
  return terms;
}

/** camelCase/PascalCase parts of a separator-free segment; [] when it has only one part. */
export function camelParts(segment: string): string[] {
  if (ASCII.test(segment)) return asciiCamelParts(segment);
  const chars = [...segment];
  const isUpper = (c: string | undefined) => c !== undefined && /\p{Lu}/u.test(c);
  const isLower = (c: string | undefined) => c !== undefined && /\p{Ll}/u.test(c);
  const parts: string[] = [];
  let current = '';
  chars.forEach((c, i) => {
    const prev = chars[i - 1];
    const next = chars[i + 1];
    // parse|Config, utf8|Decoder
    const lowerToUpper = isUpper(c) && prev !== undefined && !isUpper(prev) && /[\p{Ll}\p{N}]/u.test(prev);
    // HTTP|Server — but not URL|s: a lone trailing s is a plural, not a word.
    const acronymEnd = isUpper(prev) && isUpper(c) && isLower(next) && !isPluralS(chars, i + 1);
    if ((lowerToUpper || acronymEnd) && current) {
      parts.push(current);
      current = '';
    }
    current += c;
  });
  parts.push(current);
  return parts.length > 1 ? parts : [];
}

/** camelParts() by character codes (the same rules, for ASCII segments). */
function asciiCamelParts(segment: string): string[] {
  const code = (i: number) => segment.charCodeAt(i); // NaN past the end: no class matches
  const upper = (c: number) => c >= 65 && c <= 90;
  const lowerCase = (c: number) => c >= 97 && c <= 122;
  const digit = (c: number) => c >= 48 && c <= 57;
  const parts: string[] = [];
  let start = 0;
  for (let i = 1; i < segment.length; i++) {
    const prev = code(i - 1);
    const c = code(i);
    const lowerToUpper = upper(c) && (lowerCase(prev) || digit(prev));
    const pluralS = code(i + 1) === 115 && !lowerCase(code(i + 2));
    const acronymEnd = upper(prev) && upper(c) && lowerCase(code(i + 1)) && !pluralS;
    if (lowerToUpper || acronymEnd) {
      parts.push(segment.slice(start, i));
      start = i;
    }
  }
  parts.push(segment.slice(start));
  return parts.length > 1 ? parts : [];
}

function isPluralS(chars: string[], i: number): boolean {
  return chars[i] === 's' && !/\p{Ll}/u.test(chars[i + 1] ?? '');
}

// Words recur far more than tokens do (`loadUser`, `load_user_id`, `load`): stems are cached apart.
const STEM_CACHE_SIZE = 50_000;
const stemCache = new Map<string, string>();

function isLowerAlpha(term: string): boolean {
  for (let i = 0; i < term.length; i++) {
    const c = term.charCodeAt(i);
    if (c < 97 || c > 122) return false;
  }
  return term.length > 0;
}

function normalizeTerm(term: string): string {
  if (!isLowerAlpha(term)) return term;
  let stemmed = stemCache.get(term);
  if (stemmed === undefined) {
    stemmed = stem(term);
    if (stemCache.size >= STEM_CACHE_SIZE) stemCache.clear();
    stemCache.set(term, stemmed);
  }
  return stemmed;
}

/** The distinct (stemmed) terms of one token. */
function computeTokenTerms(token: string): string[] {
  const terms = new Set<string>();
  for (const raw of rawTerms(token)) {
    if (raw.length > 0 && raw.length <= MAX_TERM_LENGTH) terms.add(normalizeTerm(raw));
  }
  return [...terms];
}

// Text — code above all — repeats its identifiers: analysing each distinct token once makes
// indexing about twenty times faster. Bounded; cleared whole when full (cheap, and rare).
const TOKEN_TERMS_CACHE_SIZE = 100_000;
const tokenTermsCache = new Map<string, readonly string[]>();

function tokenTerms(token: string): readonly string[] {
  let terms = tokenTermsCache.get(token);
  if (terms === undefined) {
    terms = computeTokenTerms(token);
    if (tokenTermsCache.size >= TOKEN_TERMS_CACHE_SIZE) tokenTermsCache.clear();
    tokenTermsCache.set(token, terms);
  }
  return terms;
}

/** Splits text into tokens with their positions, offsets and (stemmed) terms. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const match of text.matchAll(TOKEN_PATTERN)) {
    const start = match.index;
    const terms = [...tokenTerms(match[0])];
    tokens.push({ start, end: start + match[0].length, position: tokens.length, terms });
  }
  return tokens;
}

/** Term → the positions (token ordinals) it occurs at, ascending. */
export function analyze(text: string): Map<string, number[]> {
  const postings = new Map<string, number[]>();
  for (const token of tokenize(text)) {
    for (const term of token.terms) {
      const positions = postings.get(term);
      if (positions) positions.push(token.position);
      else postings.set(term, [token.position]);
    }
  }
  return postings;
}

/** What BM25 needs of a text: each term's occurrences (by termHash) and the text's length in tokens. */
export interface TermCounts {
  counts: Map<number, number>;
  length: number;
}

/**
 * The hashes of the distinct terms one separator-free segment of a token
 * emits (itself and its camelCase parts, stemmed); the indexer caches them by
 * the segment's bytes and adds the whole token's own term itself.
 */
export function segmentHashes(segment: string): Int32Array {
  const terms = new Set<string>();
  for (const raw of [lower(segment), ...camelParts(segment).map(lower)]) {
    if (raw.length > 0 && raw.length <= MAX_TERM_LENGTH) terms.add(normalizeTerm(raw));
  }
  const hashes = new Int32Array(terms.size);
  let i = 0;
  for (const term of terms) hashes[i++] = termHash(term);
  return hashes;
}

/** analyze() as the index stores it: term hashes with their counts, no positions. */
export function countTerms(text: string): TermCounts {
  const counts = new Map<number, number>();
  let length = 0;
  const pattern = new RegExp(TOKEN_PATTERN);
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    length++;
    for (const term of tokenTerms(match[0])) {
      const hash = termHash(term);
      counts.set(hash, (counts.get(hash) ?? 0) + 1);
    }
  }
  return { counts, length };
}

/**
 * The index terms one query word expands to, most specific first: the stemmed
 * word (or whole identifier), its identifier parts, then synonyms of each. The
 * first element is what the user typed; callers may weight the rest lower.
 * Empty when the word has no letters or digits.
 */
export function analyzeQueryTerm(word: string): string[] {
  const terms = new Set<string>();
  const tokens = tokenize(word);
  for (const token of tokens) token.terms.forEach((t) => terms.add(t));
  for (const token of tokens) {
    for (const raw of rawTerms(word.slice(token.start, token.end))) {
      synonymsOf(raw).forEach((t) => terms.add(t));
    }
  }
  return [...terms];
}
