import type { ValueTransformer } from 'typeorm';

/** `bigint` columns come back from pg as strings; sizes stay far below 2^53, so numbers are exact. */
export const BIGINT_AS_NUMBER: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};
