import type { QueryNode } from './query-parser';
import { synonymsOf } from './synonyms';
import { termHash } from './term-hash';
import type { Token } from './tokenize';
import { tokenize } from './tokenize';

/**
 * Query expansion and matching. A query word becomes the index terms it may
 * match (the analyzer's, so `running` finds `run` and `parseConfig` finds
 * `parse_config`): it matches a document holding its whole term, ALL of its
 * identifier parts (`parseConfig` → `parse` + `config`), or a synonym. The
 * whole term weighs 1 in the ranking, parts and synonyms half each.
 *
 * relaxedMatch() evaluates a relaxed form of the query over each document's
 * set of matched term hashes — a phrase as its words ANDed (necessary, not
 * sufficient), a negated phrase not at all — and evaluate() then decides the
 * exact query on those candidates, reading a document's tokens only when a
 * phrase decides the outcome.
 */

export interface WordTerms {
  whole: string;
  /** Identifier parts (at least two), or none. */
  parts: string[];
  synonyms: string[];
}

export type PlanNode =
  | { kind: 'word'; word: WordTerms; negated: boolean }
  | { kind: 'phrase'; words: WordTerms[]; negated: boolean }
  | { kind: 'or'; of: PlanNode[] }
  | { kind: 'and'; of: PlanNode[] };

export interface QueryPlan {
  /** null: the query has filters only. */
  root: PlanNode | null;
  /** Every term the query mentions (hash → ranking weight; 0 for terms only excluded). */
  weights: Map<number, number>;
  /** Terms that count for the ranking and the snippets' highlights. */
  positiveTerms: Set<string>;
  /** Whether a document can match by holding at least one term (else every filtered document is a candidate). */
  needsTerm: boolean;
  hasPhrase: boolean;
}

export const PART_WEIGHT = 0.5;
export const SYNONYM_WEIGHT = 0.5;

function wordTerms(token: Token, raw: string): WordTerms {
  const [whole = '', ...rest] = token.terms;
  // A token emits its whole term, its segments and their camelCase parts; the parts are the
  // finest pieces (segments of a `_`-joined identifier are themselves parts when not camelCased).
  const parts = rest.filter((t) => t !== whole);
  const synonyms = [...synonymsOf(raw.toLowerCase())].filter((t) => t !== whole && !parts.includes(t));
  return { whole, parts: parts.length >= 2 ? parts : [], synonyms };
}

/** The words one typed word analyses to; several tokens (`foo/bar`) are a phrase. */
function wordsOf(typed: string): WordTerms[] {
  return tokenize(typed).map((token) => wordTerms(token, typed.slice(token.start, token.end)));
}

function leaf(words: WordTerms[], negated: boolean, forcePhrase: boolean): PlanNode | null {
  if (words.length === 0) return null;
  if (words.length === 1 && !forcePhrase) return { kind: 'word', word: words[0]!, negated };
  return { kind: 'phrase', words, negated };
}

function planNode(node: QueryNode): PlanNode | null {
  switch (node.kind) {
    case 'term':
      return leaf(wordsOf(node.word), node.negated, false);
    case 'phrase': {
      const words = node.words.flatMap(wordsOf);
      return leaf(words, node.negated, words.length > 1);
    }
    case 'or':
    case 'and': {
      const of = node.of.map(planNode).filter((n): n is PlanNode => n !== null);
      if (of.length === 0) return null;
      return of.length === 1 ? of[0]! : { kind: node.kind, of };
    }
  }
}

function collect(node: PlanNode, negated: boolean, plan: QueryPlan): void {
  const add = (term: string, weight: number, negative: boolean) => {
    const hash = termHash(term);
    plan.weights.set(hash, Math.max(plan.weights.get(hash) ?? 0, negative ? 0 : weight));
    if (!negative) plan.positiveTerms.add(term);
  };
  const addWord = (word: WordTerms, negative: boolean) => {
    add(word.whole, 1, negative);
    word.parts.forEach((t) => add(t, PART_WEIGHT, negative));
    word.synonyms.forEach((t) => add(t, SYNONYM_WEIGHT, negative));
  };
  if (node.kind === 'word') addWord(node.word, negated || node.negated);
  else if (node.kind === 'phrase') {
    plan.hasPhrase = true;
    node.words.forEach((w) => addWord(w, negated || node.negated));
  } else node.of.forEach((child) => collect(child, negated, plan));
}

/** Whether every match of the node must hold at least one of its terms. */
function requiresTerm(node: PlanNode): boolean {
  if (node.kind === 'word' || node.kind === 'phrase') return !node.negated;
  return node.kind === 'or' ? node.of.every(requiresTerm) : node.of.some(requiresTerm);
}

export function planQuery(root: QueryNode | null): QueryPlan {
  const planned = root ? planNode(root) : null;
  const plan: QueryPlan = {
    root: planned,
    weights: new Map(),
    positiveTerms: new Set(),
    needsTerm: planned !== null && requiresTerm(planned),
    hasPhrase: false,
  };
  if (planned) collect(planned, false, plan);
  return plan;
}

/**
 * The relaxed query over the set of the query's term hashes a document holds
 * (from the postings): every exact match satisfies it; evaluate() decides the rest.
 */
export function relaxedMatch(node: PlanNode | null, has: (hash: number) => boolean): boolean {
  if (node === null) return true;
  const holds = (term: string) => has(termHash(term));
  switch (node.kind) {
    case 'word':
      return wordMatches(node.word, holds) !== node.negated;
    case 'phrase':
      return node.negated || node.words.every((w) => wordMatches(w, holds));
    case 'or':
      return node.of.some((child) => relaxedMatch(child, has));
    case 'and':
      return node.of.every((child) => relaxedMatch(child, has));
  }
}

/** What evaluate() asks of one document. */
export interface CandidateDocument {
  has(term: string): boolean;
  /** Whether the words occur at consecutive positions (reads the document; asked only when it decides). */
  hasPhrase(words: readonly WordTerms[]): Promise<boolean>;
}

export function wordMatches(word: WordTerms, has: (term: string) => boolean): boolean {
  return has(word.whole) || word.synonyms.some(has) || (word.parts.length > 0 && word.parts.every(has));
}

/** The exact query on one document. */
export async function evaluate(node: PlanNode | null, doc: CandidateDocument): Promise<boolean> {
  if (node === null) return true;
  switch (node.kind) {
    case 'word':
      return wordMatches(node.word, (t) => doc.has(t)) !== node.negated;
    case 'phrase': {
      const termsPresent = node.words.every((w) => wordMatches(w, (t) => doc.has(t)));
      const present = termsPresent && (await doc.hasPhrase(node.words));
      return present !== node.negated;
    }
    case 'or':
      for (const child of node.of) if (await evaluate(child, doc)) return true;
      return false;
    case 'and':
      for (const child of node.of) if (!(await evaluate(child, doc))) return false;
      return true;
  }
}

/** A token matches a phrase word when the whole token is the word or a synonym (a part of `loadConfig` is not `config`). */
function tokenMatches(token: Token, word: WordTerms): boolean {
  const whole = token.terms[0];
  return whole === word.whole || (whole !== undefined && word.synonyms.includes(whole));
}

/** Whether `tokens` hold the words at consecutive positions. */
export function containsPhrase(tokens: readonly Token[], words: readonly WordTerms[]): boolean {
  for (let i = 0; i + words.length <= tokens.length; i++) {
    if (words.every((word, k) => tokenMatches(tokens[i + k]!, word))) return true;
  }
  return false;
}
