import { ValidationError } from '@nexus/core';
import type { QueryFilters, QueryNode } from './query-parser';
import { InvalidQueryError, parseQuery } from './query-parser';

const t = (word: string, negated = false): QueryNode => ({ kind: 'term', word, negated });
const p = (text: string, negated = false): QueryNode => ({ kind: 'phrase', words: text.split(' '), negated });
const or = (...of: QueryNode[]): QueryNode => ({ kind: 'or', of });
const and = (...of: QueryNode[]): QueryNode => ({ kind: 'and', of });
const noFilters: QueryFilters = { paths: [], tags: [], excludeTags: [], exts: [] };

function reasonOf(query: string): string {
  try {
    parseQuery(query);
  } catch (error) {
    if (error instanceof InvalidQueryError) return error.reason;
    throw error;
  }
  throw new Error(`"${query}" parsed without error`);
}

describe('parseQuery: terms and operators', () => {
  it.each<[string, QueryNode]>([
    ['hello', t('hello')],
    ['  parse   config ', and(t('parse'), t('config'))],
    ['a b OR c', and(t('a'), or(t('b'), t('c')))],
    ['a OR b c', and(or(t('a'), t('b')), t('c'))],
    ['a OR b OR c', or(t('a'), t('b'), t('c'))],
    ['a OR b c OR d', and(or(t('a'), t('b')), or(t('c'), t('d')))],
    ['a or b', and(t('a'), t('or'), t('b'))],
    ['OR a', t('a')],
    ['a OR', t('a')],
    ['a OR OR b', and(t('a'), t('b'))],
    ['"exact phrase"', p('exact phrase')],
    ['x "two  words" y', and(t('x'), p('two words'), t('y'))],
    ['"a b" OR c', or(p('a b'), t('c'))],
    ['foo -bar', and(t('foo'), t('bar', true))],
    ['foo -"bad phrase"', and(t('foo'), p('bad phrase', true))],
    ['foo "unbalanced rest of query', and(t('foo'), p('unbalanced rest of query'))],
    ['foo ""', t('foo')],
    ['foo - bar', and(t('foo'), t('bar'))],
    ['foo && bar', and(t('foo'), t('bar'))],
    ['well-known e-mail', and(t('well-known'), t('e-mail'))],
    ['https://example.com/x', t('https://example.com/x')],
    ['std::vector', t('std::vector')],
    ['12:30', t('12:30')],
  ])('%s', (query, node) => {
    expect(parseQuery(query)).toEqual({ node, filters: noFilters });
  });
});

describe('parseQuery: filters', () => {
  it.each<[string, QueryNode | null, Partial<QueryFilters>]>([
    ['path:src/lib report', t('report'), { paths: ['src/lib'] }],
    ['tag:draft tag:q3 plan', t('plan'), { tags: ['draft', 'q3'] }],
    ['plan -tag:archived', t('plan'), { excludeTags: ['archived'] }],
    ['ext:ts ext:.MD notes', t('notes'), { exts: ['ts', 'md'] }],
    ['path:"my docs/2024" budget', t('budget'), { paths: ['my docs/2024'] }],
    ['PATH:src x', t('x'), { paths: ['src'] }],
    ['ext:ts', null, { exts: ['ts'] }],
    ['tag:x -secret', t('secret', true), { tags: ['x'] }],
    ['a OR path:src b', and(t('a'), t('b')), { paths: ['src'] }],
  ])('%s', (query, node, filters) => {
    expect(parseQuery(query)).toEqual({ node, filters: { ...noFilters, ...filters } });
  });
});

describe('parseQuery: invalid queries', () => {
  it.each<[string, string]>([
    ['foo:bar', 'unknown filter "foo:" (known: path:, tag:, ext:)'],
    ['report author:me', 'unknown filter "author:" (known: path:, tag:, ext:)'],
    ['-foo', 'a query needs at least one positive term or filter'],
    ['-foo -"bar baz"', 'a query needs at least one positive term or filter'],
    ['-tag:x', 'a query needs at least one positive term or filter'],
    ['', 'a query needs at least one positive term or filter'],
    ['  ', 'a query needs at least one positive term or filter'],
    ['tag: x', 'filter "tag:" needs a value'],
    ['-path:src x', 'filter "path:" cannot be negated (only tag: can)'],
    ['a OR -b', 'an OR operand cannot be negated'],
    ['x'.repeat(1001), 'query is longer than 1000 characters'],
    [Array.from({ length: 33 }, (_, i) => `w${i}`).join(' '), 'query has more than 32 terms'],
    [`"${Array.from({ length: 33 }, (_, i) => `w${i}`).join(' ')}"`, 'query has more than 32 terms'],
  ])('%s', (query, reason) => {
    expect(reasonOf(query)).toBe(reason);
  });

  it('accepts exactly the limits', () => {
    expect(() => parseQuery('x'.repeat(1000))).not.toThrow();
    expect(() => parseQuery(Array.from({ length: 32 }, (_, i) => `w${i}`).join(' '))).not.toThrow();
  });

  it('is a 400 validation error with a stable code', () => {
    const error = (() => {
      try {
        parseQuery('foo:bar');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ code: 'INVALID_QUERY', status: 400 });
  });
});
