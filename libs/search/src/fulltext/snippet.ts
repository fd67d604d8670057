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

export function snippet(text: string, terms: ReadonlySet<string>, options: SnippetOptions = {}): string {
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
  return (start > 0 ? ELLIPSIS : '') + out + (end < text.length ? ELLIPSIS : '');
}
