import { ValidationError } from '@nexus/core';
import { Transform } from 'class-transformer';
import type { ReadOptions } from '../fs.types';

/** A query-string boolean: only `true` and `false` (anything else fails IsBoolean). */
export const QueryBoolean = () =>
  Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value));

const DECIMAL = /^\d{1,20}$/;

/** Read freshness from `?minRevision=` (a decimal zone revision); 400 when it is not one. */
export function readOptionsOf(query: { minRevision?: string }): ReadOptions {
  if (query.minRevision === undefined) return {};
  if (!DECIMAL.test(query.minRevision))
    throw new ValidationError('minRevision must be a non-negative decimal integer', {
      minRevision: query.minRevision,
    });
  return { minRevision: BigInt(query.minRevision) };
}
