import { ValidationError } from '@nexus/core';

/**
 * Parses web-search syntax into an AST plus the field filters it contains.
 *
 *   parse config         both words (AND is implicit)
 *   a b OR c             a AND (b OR c) — OR binds tighter than AND
 *   "exact phrase"       the words adjacent and in order
 *   -word  -"a phrase"   exclusion
 *   path:src/lib         path prefix; tag:x, -tag:x, ext:ts (all repeatable)
 *   path:"my dir"        a quoted filter value may contain spaces
 *
 * Lenient where the intent is clear: an unbalanced quote makes the rest of the
 * query the phrase, a dangling OR (at either end, doubled, or next to a filter)
 * is ignored, `scheme://…` and `a::b` are words rather than filters, and words
 * without letters or digits are dropped. Strict where a
 * silent guess would return surprising results: unknown filters, negated OR
 * operands and queries without a positive part are rejected. Words are kept as
 * typed; analysis (stemming, identifier parts) is the caller's, via
 * analyzeQueryTerm().
 */

export type QueryNode =
  | { kind: 'term'; word: string; negated: boolean }
  | { kind: 'phrase'; words: string[]; negated: boolean }
  | { kind: 'or'; of: QueryNode[] }
  | { kind: 'and'; of: QueryNode[] };

export interface QueryFilters {
  /** Path prefixes; a document matches when its path starts with any of them. */
  paths: string[];
  tags: string[];
  excludeTags: string[];
  /** Lowercase extensions without the dot. */
  exts: string[];
}

export interface ParsedQuery {
  /** null when the query consists of filters only. */
  node: QueryNode | null;
  filters: QueryFilters;
}

export const MAX_QUERY_LENGTH = 1000;
/** Counting every word, including each word of a phrase. */
export const MAX_QUERY_TERMS = 32;

export const SearchErrorCode = { InvalidQuery: 'INVALID_QUERY' } as const;

export class InvalidQueryError extends ValidationError {
  constructor(readonly reason: string) {
    super(`invalid search query: ${reason}`, { reason }, SearchErrorCode.InvalidQuery);
  }
}

type Item =
  | { type: 'node'; node: Extract<QueryNode, { kind: 'term' | 'phrase' }> }
  | { type: 'or' }
  | { type: 'filter' };

const KNOWN_FILTERS = 'path:, tag:, ext:';

/** Reads a quoted string starting after the opening quote; an unclosed quote runs to the end. */
function readQuoted(query: string, from: number): { text: string; next: number } {
  const close = query.indexOf('"', from);
  return close === -1
    ? { text: query.slice(from), next: query.length }
    : { text: query.slice(from, close), next: close + 1 };
}

function addFilter(filters: QueryFilters, field: string, value: string, negated: boolean): void {
  const name = `${field.toLowerCase()}:`;
  if (!['path:', 'tag:', 'ext:'].includes(name)) {
    throw new InvalidQueryError(`unknown filter "${name}" (known: ${KNOWN_FILTERS})`);
  }
  if (value.trim() === '') throw new InvalidQueryError(`filter "${name}" needs a value`);
  if (negated && name !== 'tag:') {
    throw new InvalidQueryError(`filter "${name}" cannot be negated (only tag: can)`);
  }
  if (name === 'path:') filters.paths.push(value);
  else if (name === 'ext:') filters.exts.push(value.replace(/^\./, '').toLowerCase());
  else (negated ? filters.excludeTags : filters.tags).push(value);
}

function lex(query: string, filters: QueryFilters): Item[] {
  const items: Item[] = [];
  let i = 0;
  while (i < query.length) {
    if (/\s/.test(query[i] ?? '')) {
      i++;
      continue;
    }
    const negated = query[i] === '-' && i + 1 < query.length && !/\s/.test(query[i + 1] ?? '');
    if (negated) i++;
    if (query[i] === '"') {
      const { text, next } = readQuoted(query, i + 1);
      i = next;
      const words = text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w));
      if (words.length > 0) items.push({ type: 'node', node: { kind: 'phrase', words, negated } });
      continue;
    }
    const wordEnd = query.slice(i).search(/[\s"]/);
    const word = wordEnd === -1 ? query.slice(i) : query.slice(i, i + wordEnd);
    i += word.length;
    // Not a filter: `scheme://host` and C++'s `std::vector`.
    const field = /^([A-Za-z][\w-]*):(?!\/\/|:)/.exec(word);
    if (field?.[1] !== undefined) {
      let value = word.slice(field[0].length);
      if (value === '' && query[i] === '"') {
        const quoted = readQuoted(query, i + 1);
        value = quoted.text;
        i = quoted.next;
      }
      addFilter(filters, field[1], value, negated);
      items.push({ type: 'filter' });
      continue;
    }
    if (word === 'OR' && !negated) {
      items.push({ type: 'or' });
      continue;
    }
    // A word without letters or digits ("-", "&&") could never match; dropping it keeps AND queries sane.
    if (/[\p{L}\p{N}]/u.test(word)) items.push({ type: 'node', node: { kind: 'term', word, negated } });
  }
  return items;
}

/** Groups `x OR y OR z` runs; every other item is its own AND clause. */
function group(items: Item[]): QueryNode[] {
  const clauses: QueryNode[][] = [];
  let joinNext = false;
  items.forEach((item, index) => {
    if (item.type === 'filter') {
      joinNext = false;
      return;
    }
    if (item.type === 'or') {
      const prev = items[index - 1];
      const next = items[index + 1];
      joinNext = prev?.type === 'node' && next?.type === 'node' && clauses.length > 0;
      return;
    }
    const last = clauses[clauses.length - 1];
    if (joinNext && last) last.push(item.node);
    else clauses.push([item.node]);
    joinNext = false;
  });
  return clauses.map((of) => {
    if (of.length === 1 && of[0]) return of[0];
    if (of.some((n) => 'negated' in n && n.negated)) {
      throw new InvalidQueryError('an OR operand cannot be negated');
    }
    return { kind: 'or', of };
  });
}

const isPositive = (node: QueryNode): boolean =>
  node.kind === 'or' || node.kind === 'and' ? node.of.some(isPositive) : !node.negated;

export function parseQuery(query: string): ParsedQuery {
  if (query.length > MAX_QUERY_LENGTH) {
    throw new InvalidQueryError(`query is longer than ${MAX_QUERY_LENGTH} characters`);
  }
  const filters: QueryFilters = { paths: [], tags: [], excludeTags: [], exts: [] };
  const items = lex(query, filters);
  const wordCount = items.reduce(
    (n, item) => n + (item.type !== 'node' ? 0 : item.node.kind === 'term' ? 1 : item.node.words.length),
    0,
  );
  if (wordCount > MAX_QUERY_TERMS) {
    throw new InvalidQueryError(`query has more than ${MAX_QUERY_TERMS} terms`);
  }
  const clauses = group(items);
  const positiveFilters = filters.paths.length + filters.tags.length + filters.exts.length;
  if (!clauses.some(isPositive) && positiveFilters === 0) {
    throw new InvalidQueryError('a query needs at least one positive term or filter');
  }
  const node =
    clauses.length === 0
      ? null
      : clauses.length === 1
        ? (clauses[0] ?? null)
        : { kind: 'and' as const, of: clauses };
  return { node, filters };
}
