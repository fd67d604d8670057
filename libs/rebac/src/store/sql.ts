import type { DataSource, EntityManager } from 'typeorm';

/** Runs one SQL statement (one round trip) and returns its rows. */
export type SqlExecutor = (sql: string, parameters?: unknown[]) => Promise<unknown[]>;

/** The provider of the app DataSource's SqlExecutor (reads outside any transaction). */
export const REBAC_SQL_EXECUTOR = Symbol('nexus:rebac-sql-executor');

/** The executor of a DataSource or of a transaction's EntityManager. */
export function executorOf(source: DataSource | EntityManager): SqlExecutor {
  return async (sql, parameters) => await source.query<unknown[]>(sql, parameters);
}

/** Column arrays for `unnest($n::text[], …)`: one array per column. */
export function columns<T>(rows: readonly T[], ...pick: ((row: T) => string)[]): string[][] {
  return pick.map((get) => rows.map(get));
}
