import { createHash } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { EntityManager, QueryFailedError } from 'typeorm';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import type { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner';

export interface SqlOptions {
  /**
   * Run as a named prepared statement: parsed and planned once per connection
   * instead of on every call. Only for fixed statement texts run again and again
   * (the evaluator's reads) — every distinct text stays prepared on every
   * connection.
   */
  prepared?: boolean;
}

/** Runs one SQL statement (one round trip) and returns its rows. */
export type SqlExecutor = (sql: string, parameters?: unknown[], options?: SqlOptions) => Promise<unknown[]>;

/** The provider of the app DataSource's SqlExecutor (reads outside any transaction). */
export const REBAC_SQL_EXECUTOR = Symbol('nexus:rebac-sql-executor');

const statementNames = new Map<string, string>();

/** A stable name per statement text (the same on every connection). */
function statementName(sql: string): string {
  let name = statementNames.get(sql);
  if (!name) {
    name = `nexus_rebac_${createHash('sha1').update(sql).digest('hex').slice(0, 20)}`;
    statementNames.set(sql, name);
  }
  return name;
}

function isManager(source: DataSource | EntityManager): source is EntityManager {
  return source instanceof EntityManager;
}

/** The pg connection a prepared statement runs on: the transaction's own, or the pool. */
async function preparedTarget(source: DataSource | EntityManager): Promise<Pool | PoolClient> {
  const runner = isManager(source) ? source.queryRunner : undefined;
  if (runner && !runner.isReleased) return (await (runner as PostgresQueryRunner).connect()) as PoolClient;
  const dataSource = isManager(source) ? source.connection : source;
  return (dataSource.driver as PostgresDriver).master as Pool;
}

async function runPrepared(source: DataSource | EntityManager, sql: string, parameters: unknown[]) {
  const dataSource = isManager(source) ? source.connection : source;
  dataSource.logger.logQuery(sql, parameters);
  const target = await preparedTarget(source);
  try {
    const result = await target.query({ name: statementName(sql), text: sql, values: parameters });
    return result.rows as unknown[];
  } catch (error) {
    throw new QueryFailedError(sql, parameters, error as Error);
  }
}

/** The executor of a DataSource or of a transaction's EntityManager. */
export function executorOf(source: DataSource | EntityManager): SqlExecutor {
  return async (sql, parameters, options) =>
    options?.prepared
      ? await runPrepared(source, sql, parameters ?? [])
      : await source.query<unknown[]>(sql, parameters);
}

/** Column arrays for `unnest($n::text[], …)`: one array per column. */
export function columns<T>(rows: readonly T[], ...pick: ((row: T) => string)[]): string[][] {
  return pick.map((get) => rows.map(get));
}
