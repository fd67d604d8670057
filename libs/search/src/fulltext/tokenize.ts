import { stem } from './stemmer';
import { synonymsOf } from './synonyms';

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

/** The terms of one token (an identifier or a plain word), unstemmed, lowercase. */
function rawTerms(token: string): string[] {
  const lower = (s: string) => s.normalize('NFKC').toLowerCase();
  const terms = [lower(token)];
  for (const segment of token.split(/[_.-]/)) {
    terms.push(lower(segment), ...camelParts(segment).map(lower));
  }
  return terms;
}

/** camelCase/PascalCase parts of a separator-free segment; [] when it has only one part. */
export function camelParts(segment: string): string[] {
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

function isPluralS(chars: string[], i: number): boolean {
  return chars[i] === 's' && !/\p{Ll}/u.test(chars[i + 1] ?? '');
}

function normalizeTerm(term: string): string {
  return /^[a-z]+$/.test(term) ? stem(term) : term;
}

/** Splits text into tokens with their positions, offsets and (stemmed) terms. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const match of text.matchAll(TOKEN_PATTERN)) {
    const start = match.index;
    const terms = new Set<string>();
    for (const raw of rawTerms(match[0])) {
      if (raw.length > 0 && raw.length <= MAX_TERM_LENGTH) terms.add(normalizeTerm(raw));
    }
    tokens.push({ start, end: start + match[0].length, position: tokens.length, terms: [...terms] });
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
