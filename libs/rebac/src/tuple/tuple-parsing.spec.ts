import { DomainError } from '@nexus/core';
import {
  MAX_ID_BYTES,
  assertObjectRef,
  assertSubjectRef,
  assertTupleShape,
  normalizeSubject,
  parseObject,
  parseSubject,
  parseTupleKey,
} from './tuple-parsing';
import { formatSubject, formatTuple, fromRow, toRow } from './tuple.types';

function codeOf(work: () => unknown): string | undefined {
  try {
    work();
  } catch (error) {
    return error instanceof DomainError ? error.code : 'NOT_A_DOMAIN_ERROR';
  }
  return undefined;
}

describe('tuple parsing', () => {
  it('parses objects, subjects, wildcards and usersets', () => {
    expect(parseObject('document:1')).toEqual({ type: 'document', id: '1' });
    expect(parseSubject('user:anne')).toEqual({ type: 'user', id: 'anne' });
    expect(parseSubject('user:*')).toEqual({ type: 'user', id: '*' });
    expect(parseSubject('group:eng#member')).toEqual({ type: 'group', id: 'eng', relation: 'member' });
  });

  it.each(['a:b:c', 'user', 'user:', ':anne', 'user:an ne', 'user:*#member', 'group:eng#', '#member', ''])(
    'rejects the malformed subject %p with VALIDATION_FAILED',
    (text) => {
      expect(codeOf(() => parseSubject(text))).toBe('VALIDATION_FAILED');
    },
  );

  it.each(['document:*', 'document', 'doc:1#viewer', 'a:b:c'])('rejects the malformed object %p', (text) => {
    expect(codeOf(() => parseObject(text))).toBe('VALIDATION_FAILED');
  });

  it.each([
    ['null', null],
    ['undefined', undefined],
    ['a string', 'user:anne'],
    ['a missing id', { type: 'user' }],
    ['an empty id', { type: 'user', id: '' }],
    ['a numeric id', { type: 'user', id: 7 }],
    ['a bad type', { type: 'us:er', id: 'a' }],
    ['control characters', { type: 'user', id: 'a\u0000b' }],
    ['a wildcard userset', { type: 'group', id: '*', relation: 'member' }],
    ['a bad relation', { type: 'group', id: 'g', relation: 'mem ber' }],
  ])('rejects a subject with %s', (_label, value) => {
    expect(codeOf(() => assertSubjectRef(value))).toBe('VALIDATION_FAILED');
  });

  it('accepts structured ids that the string form cannot hold (paths with : # and spaces)', () => {
    expect(codeOf(() => assertObjectRef({ type: 'file', id: '/notes/#1: draft v2.md' }))).toBeUndefined();
    expect(codeOf(() => assertSubjectRef({ type: 'file', id: '/a b/c:d' }))).toBeUndefined();
  });

  it('limits ids to MAX_ID_BYTES of UTF-8', () => {
    expect(codeOf(() => assertObjectRef({ type: 'file', id: 'x'.repeat(MAX_ID_BYTES) }))).toBeUndefined();
    expect(codeOf(() => assertObjectRef({ type: 'file', id: 'é'.repeat(MAX_ID_BYTES / 2 + 1) }))).toBe(
      'VALIDATION_FAILED',
    );
  });

  it('refuses a wildcard object', () => {
    expect(codeOf(() => assertObjectRef({ type: 'file', id: '*' }))).toBe('VALIDATION_FAILED');
  });

  it('checks whole tuples', () => {
    expect(
      codeOf(() =>
        assertTupleShape({
          object: { type: 'doc', id: '1' },
          relation: 'viewer',
          subject: { type: 'user', id: 'a' },
        }),
      ),
    ).toBeUndefined();
    expect(
      codeOf(() =>
        assertTupleShape({
          object: { type: 'doc', id: '1' },
          relation: '',
          subject: { type: 'user', id: 'a' },
        }),
      ),
    ).toBe('VALIDATION_FAILED');
    expect(codeOf(() => assertTupleShape({ object: { type: 'doc', id: '1' }, relation: 'viewer' }))).toBe(
      'VALIDATION_FAILED',
    );
  });

  it('round-trips tuples through rows and text', () => {
    const tuple = parseTupleKey({ object: 'document:1', relation: 'viewer', user: 'group:eng#member' });
    expect(fromRow(toRow(tuple))).toEqual(tuple);
    expect(
      toRow(parseTupleKey({ object: 'document:1', relation: 'viewer', user: 'user:a' })).subjectRelation,
    ).toBe('');
    expect(formatTuple(tuple)).toBe('document:1#viewer@group:eng#member');
    expect(formatSubject({ type: 'user', id: '*', relation: '' })).toBe('user:*');
    expect(normalizeSubject({ type: 'user', id: 'a', relation: '' })).toEqual({ type: 'user', id: 'a' });
  });
});
