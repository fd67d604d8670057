import type { QueryNode } from '../fulltext/query-parser';
import type { PlanNode } from '../fulltext/query-plan';

/**
 * The words a query asks for, as typed, for the query's embedding: words and
 * phrases that are not excluded, in order. Field filters are not words (the
 * parser took them out) and excluded words are left out: embedding "-legacy"
 * would pull documents about legacy code closer, not push them away.
 */
export function positiveWords(node: QueryNode | null): string[] {
  if (node === null) return [];
  switch (node.kind) {
    case 'term':
      return node.negated ? [] : [node.word];
    case 'phrase':
      return node.negated ? [] : node.words;
    case 'or':
    case 'and':
      return node.of.flatMap(positiveWords);
  }
}

/** The query's excluded words and phrases (the parser allows them only in the top-level AND). */
export function excludedLeaves(node: PlanNode | null): PlanNode[] {
  if (node === null) return [];
  if (node.kind === 'and') return node.of.flatMap(excludedLeaves);
  return (node.kind === 'word' || node.kind === 'phrase') && node.negated ? [node] : [];
}
