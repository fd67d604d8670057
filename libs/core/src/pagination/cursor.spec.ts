import fc from 'fast-check';
import { ValidationError } from '../errors/domain-error';
import { decodeCursor, encodeCursor } from './cursor';

interface FilePosition extends Record<string, unknown> {
  name: string;
  id: string;
}

function isFilePosition(value: unknown): value is FilePosition {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { name?: unknown }).name === 'string' &&
    typeof (value as { id?: unknown }).id === 'string'
  );
}

function isAnyObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function decodeError(cursor: string, guard: (value: unknown) => boolean = isFilePosition): ValidationError {
  try {
    decodeCursor(cursor, guard as (value: unknown) => value is Record<string, unknown>);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error(`decodeCursor accepted ${cursor}`);
}

describe('encodeCursor / decodeCursor', () => {
  it('round-trips a position', () => {
    const position = { name: 'report.pdf', id: '0b5c2f7e-1d2a-4c55-9a5e-2f9e4c1b7d3a' };

    expect(decodeCursor(encodeCursor(position), isFilePosition)).toEqual(position);
  });

  it('round-trips non-ASCII text', () => {
    const position = { name: 'Übersicht – 日本語 🚀', id: 'x' };

    expect(decodeCursor(encodeCursor(position), isFilePosition)).toEqual(position);
  });

  it('produces URL-safe text without padding', () => {
    const cursor = encodeCursor({ name: '???>>>~~~', id: 'ÿÿÿ' });

    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('round-trips any JSON object (property)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (position) => {
        const cursor = encodeCursor(position);
        expect(cursor).toMatch(/^[A-Za-z0-9_-]*$/);
        // A cursor carries the JSON of the position (JSON has no -0, for instance).
        expect(decodeCursor(cursor, isAnyObject)).toStrictEqual(JSON.parse(JSON.stringify(position)));
      }),
    );
  });

  it.each([
    ['text that is not base64url JSON', 'not a cursor!!'],
    ['an empty cursor', ''],
    ['truncated JSON', encodeCursor({ name: 'a', id: 'b' }).slice(0, -4)],
    ['base64 of plain text', Buffer.from('hello world').toString('base64url')],
  ])('rejects %s with INVALID_CURSOR', (_name, cursor) => {
    const error = decodeError(cursor);

    expect(error.code).toBe('INVALID_CURSOR');
    expect(error.status).toBe(400);
    expect(error.message).toBe('cursor is not a valid pagination cursor');
    expect(error.details).toEqual({ cursor });
  });

  it.each([
    ['an object missing a field', { name: 'a' }],
    ['a field of the wrong type', { name: 'a', id: 7 }],
  ])('rejects a well-formed cursor holding %s', (_name, position) => {
    expect(decodeError(encodeCursor(position)).code).toBe('INVALID_CURSOR');
  });

  it.each([
    ['an array', '[1,2]'],
    ['a number', '42'],
    ['null', 'null'],
    ['a string', '"abc"'],
  ])('rejects a cursor whose JSON is %s', (_name, json) => {
    const cursor = Buffer.from(json).toString('base64url');

    expect(decodeError(cursor).code).toBe('INVALID_CURSOR');
  });

  it('only ever throws INVALID_CURSOR for arbitrary input (property)', () => {
    fc.assert(
      fc.property(fc.string(), (cursor) => {
        try {
          expect(isFilePosition(decodeCursor(cursor, isFilePosition))).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(ValidationError);
          expect((error as ValidationError).code).toBe('INVALID_CURSOR');
        }
      }),
    );
  });
});
