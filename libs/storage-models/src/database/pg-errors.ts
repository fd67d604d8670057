import { QueryFailedError } from 'typeorm';

/** PostgreSQL SQLSTATE of a failed query, if it is one. */
export function sqlStateOf(error: unknown): string | undefined {
  if (!(error instanceof QueryFailedError)) return undefined;
  const code = (error.driverError as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** 23505: an INSERT or UPDATE hit a unique index. */
export function isUniqueViolation(error: unknown): boolean {
  return sqlStateOf(error) === '23505';
}
