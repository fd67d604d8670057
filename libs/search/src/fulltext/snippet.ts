import type { Token } from './tokenize';
import { tokenize } from './tokenize';

/**
 * Picks the stretch of a document that best shows why it matched, escaped for
 * HTML. Matching uses the same tokenize() as the index, so `terms` are index
 * terms (stems, e.g. from analyzeQueryTerm) and the query `run` highlights
 * "running". The window holds the most DISTINCT query terms — five hits of one
 * word lose to one hit each of two words — then the most hits, then comes
 * first. maxChars counts characters of the source text (before escaping and
 * markup); cuts fall between words and are marked with "…". Runs of
 * whitespace are shown as one space.
 */

export interface SnippetOptions {
  /** Default 200. */
  maxChars?: number;
  /** Inserted before each matched word, unescaped (it is markup). Default `<mark>`. */
  pre?: string;
  post?: string;
}

const ELLIPSIS = '…';
const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

interface Hit {
  token: Token;
  matched: string[];
}

/** The [start, end) span of the hits with the most distinct terms that fits in maxChars. */
function bestSpan(hits: Hit[], maxChars: number): { start: number; end: number } | null {
  let best: { start: number; end: number; distinct: number; count: number } | null = null;
  for (let i = 0; i < hits.length; i++) {
    const first = hits[i];
    if (!first) continue;
    const seen = new Set<string>();
    let end = first.token.end;
    let count = 0;
    for (let j = i; j < hits.length; j++) {
      const hit = hits[j];
      if (!hit || (j > i && hit.token.end - first.token.start > maxChars)) break;
      hit.matched.forEach((t) => seen.add(t));
      end = hit.token.end;
      count++;
    }
    if (!best || seen.size > best.distinct || (seen.size === best.distinct && count > best.count)) {
      best = { start: first.token.start, end, distinct: seen.size, count };
    }
  }
  return best;
}

/** Texts longer than this many windows are cut to the region around their likeliest window first. */
const REGION_WINDOWS = 4;
/** Occurrences of each term considered when looking for the region (a good window, cheaply). */
const HITS_PER_TERM = 64;

/**
 * Where in a long text the best window probably is: the window of maxChars
 * holding occurrences of the most distinct terms (then the most occurrences), found by a case-insensitive
 * substring search (a stem is a prefix of the words it stems from, all but a
 * few `y`→`i` words), widened to REGION_WINDOWS windows and to whitespace so no
 * token is cut. Tokenizing only that region keeps a snippet of a large file
 * as cheap as one of a short file.
 */
function likelyRegion(
  text: string,
  terms: ReadonlySet<string>,
  maxChars: number,
): { start: number; end: number } {
  const lower = text.toLowerCase();
  const hits: Array<{ at: number; term: number }> = [];
  [...terms].forEach((term, index) => {
    for (
      let at = lower.indexOf(term), found = 0;
      at !== -1 && found < HITS_PER_TERM;
      at = lower.indexOf(term, at + 1), found++
    )
      hits.push({ at, term: index });
  });
  hits.sort((a, b) => a.at - b.at);
  // Two pointers over the sorted hits: [i, j) is the window starting at hit i.
  const inWindow = new Array<number>(terms.size).fill(0);
  let distinct = 0;
  let center = 0;
  let best = { distinct: -1, count: -1 };
  for (let i = 0, j = 0; i < hits.length; i++) {
    for (; j < hits.length && hits[j]!.at - hits[i]!.at <= maxChars; j++)
      if (inWindow[hits[j]!.term]!++ === 0) distinct++;
    if (distinct > best.distinct || (distinct === best.distinct && j - i > best.count)) {
      best = { distinct, count: j - i };
      center = hits[i]!.at + Math.floor(maxChars / 2);
    }
    if (--inWindow[hits[i]!.term]! === 0) distinct--;
  }
  const half = Math.floor((REGION_WINDOWS * maxChars) / 2);
  let start = Math.max(0, center - half);
  let end = Math.min(text.length, start + 2 * half);
  while (start > 0 && !/\s/.test(text[start - 1]!)) start--;
  while (end < text.length && !/\s/.test(text[end]!)) end++;
  return { start, end };
}

export function snippet(text: string, terms: ReadonlySet<string>, options: SnippetOptions = {}): string {
  const maxChars = options.maxChars ?? 200;
  if (text.length <= REGION_WINDOWS * maxChars * 2) return snippetOf(text, terms, options, false, false);
  const { start, end } = likelyRegion(text, terms, maxChars);
  return snippetOf(text.slice(start, end), terms, options, start > 0, end < text.length);
}

function snippetOf(
  text: string,
  terms: ReadonlySet<string>,
  options: SnippetOptions,
  cutBefore: boolean,
  cutAfter: boolean,
): string {
  const { maxChars = 200, pre = '<mark>', post = '</mark>' } = options;
  const tokens = tokenize(text);
  const hits: Hit[] = tokens
    .map((token) => ({ token, matched: token.terms.filter((t) => terms.has(t)) }))
    .filter((hit) => hit.matched.length > 0);
  const span = bestSpan(hits, maxChars) ?? { start: 0, end: 0 };

  // Centre the matched span in the window, then shift it back inside the text.
  const slack = Math.max(0, maxChars - (span.end - span.start));
  let start = Math.max(0, span.start - Math.floor(slack / 2));
  let end = Math.min(text.length, start + maxChars);
  start = Math.max(0, Math.min(start, end - maxChars));

  // Never show half a word: drop a token the window cuts (unless it is the span itself).
  const cutAtStart = tokens.find((t) => t.start < start && t.end > start);
  if (cutAtStart && cutAtStart.end <= span.start) start = cutAtStart.end;
  const cutAtEnd = tokens.find((t) => t.start < end && t.end > end);
  if (cutAtEnd && cutAtEnd.start >= span.end) end = cutAtEnd.start;
  while (start < end && /\s/.test(text[start] ?? '')) start++;
  while (end > start && /\s/.test(text[end - 1] ?? '')) end--;

  const highlighted = new Set(hits.map((h) => h.token));
  let out = '';
  let cursor = start;
  const plain = (from: number, to: number) => escapeHtml(text.slice(from, to).replace(/\s+/g, ' '));
  for (const token of tokens) {
    if (token.start < start || token.end > end) continue;
    out += plain(cursor, token.start);
    const word = escapeHtml(text.slice(token.start, token.end));
    out += highlighted.has(token) ? pre + word + post : word;
    cursor = token.end;
  }
  out += plain(cursor, end);
  return (start > 0 || cutBefore ? ELLIPSIS : '') + out + (end < text.length || cutAfter ? ELLIPSIS : '');
}
