import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { EntityManager } from 'typeorm';
import type { ChangeOperation } from '../entities/relationship-change.entity';
import type { TupleRow } from '../tuple/tuple.types';
import type { SqlExecutor } from './sql';
import { executorOf } from './sql';
import { toTupleRow } from './pg-tuple-loader';

const TUPLE_COLUMNS = 'object_type, object_id, relation, subject_type, subject_id, subject_relation';
const UNNEST_TUPLES = 'unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])';

function tupleParameters(zoneId: string, rows: readonly TupleRow[]): unknown[] {
  return [
    zoneId,
    rows.map((r) => r.objectType),
    rows.map((r) => r.objectId),
    rows.map((r) => r.relation),
    rows.map((r) => r.subjectType),
    rows.map((r) => r.subjectId),
    rows.map((r) => r.subjectRelation),
  ];
}

interface TupleRecord {
  object_type: string;
  object_id: string;
  relation: string;
  subject_type: string;
  subject_id: string;
  subject_relation: string;
}

export interface StoredTupleRow extends TupleRow {
  createdAt: Date;
}

export interface ChangeRow extends TupleRow {
  id: string;
  operation: ChangeOperation;
  createdAt: Date;
}

export interface TupleFilter {
  objectType?: string;
  objectId?: string;
  relation?: string;
  subjectType?: string;
  subjectId?: string;
  subjectRelation?: string;
}

/** A key-set position in tuple order: the last row of the previous page. */
export type TuplePosition = [string, string, string, string, string, string];

/**
 * SQL for tuples and the change log of one zone per call; every statement
 * filters on zone_id. Writes run inside the caller's transaction.
 */
@Injectable()
export class TupleStore {
  constructor(private readonly dataSource: DataSource) {}

  /** Serialises tuple and model writes of one zone, so change ids become visible in order. */
  async lockZone(manager: EntityManager, zoneId: string): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1::text, 4217))', [zoneId]);
  }

  /** Which of `rows` exist in the zone. */
  async existing(sql: SqlExecutor, zoneId: string, rows: readonly TupleRow[]): Promise<TupleRow[]> {
    if (rows.length === 0) return [];
    const found = (await sql(
      `SELECT ${TUPLE_COLUMNS} FROM relation_tuples WHERE zone_id = $1 AND (${TUPLE_COLUMNS}) IN (SELECT * FROM ${UNNEST_TUPLES})`,
      tupleParameters(zoneId, rows),
    )) as TupleRecord[];
    return found.map(toTupleRow);
  }

  /** Deletes the rows that exist; returns them. */
  async delete(manager: EntityManager, zoneId: string, rows: readonly TupleRow[]): Promise<TupleRow[]> {
    if (rows.length === 0) return [];
    const deleted = await manager.query<[TupleRecord[], number] | TupleRecord[]>(
      `DELETE FROM relation_tuples WHERE zone_id = $1 AND (${TUPLE_COLUMNS}) IN (SELECT * FROM ${UNNEST_TUPLES}) RETURNING ${TUPLE_COLUMNS}`,
      tupleParameters(zoneId, rows),
    );
    return returned(deleted).map(toTupleRow);
  }

  /** Inserts the rows that do not exist yet; returns them. */
  async insert(manager: EntityManager, zoneId: string, rows: readonly TupleRow[]): Promise<TupleRow[]> {
    if (rows.length === 0) return [];
    const inserted = await manager.query<TupleRecord[]>(
      `INSERT INTO relation_tuples (zone_id, ${TUPLE_COLUMNS}) SELECT $1, * FROM ${UNNEST_TUPLES}
       ON CONFLICT (zone_id, ${TUPLE_COLUMNS}) DO NOTHING RETURNING ${TUPLE_COLUMNS}`,
      tupleParameters(zoneId, rows),
    );
    return inserted.map(toTupleRow);
  }

  /**
   * Deletes and inserts tuples and logs both as changes in ONE statement (one
   * round trip while the caller holds the zone lock); resolves the zone's
   * revision after them, or null when nothing changed. The two lists must not
   * share a tuple.
   */
  async applyChanges(
    manager: EntityManager,
    zoneId: string,
    writes: readonly TupleRow[],
    deletes: readonly TupleRow[],
  ): Promise<bigint | null> {
    if (writes.length === 0 && deletes.length === 0) return null;
    const [, ...deleteColumns] = tupleParameters(zoneId, deletes);
    const [, ...writeColumns] = tupleParameters(zoneId, writes);
    const [row] = await manager.query<{ revision: string | null }[]>(
      `WITH deleted AS (
         DELETE FROM relation_tuples WHERE zone_id = $1 AND (${TUPLE_COLUMNS}) IN (SELECT * FROM ${UNNEST_TUPLES})
         RETURNING ${TUPLE_COLUMNS}
       ), inserted AS (
         INSERT INTO relation_tuples (zone_id, ${TUPLE_COLUMNS})
         SELECT $1, * FROM unnest($8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[])
         ON CONFLICT (zone_id, ${TUPLE_COLUMNS}) DO NOTHING RETURNING ${TUPLE_COLUMNS}
       ), logged AS (
         INSERT INTO rebac_changes (zone_id, operation, ${TUPLE_COLUMNS})
         SELECT $1, 'delete', ${TUPLE_COLUMNS} FROM deleted
         UNION ALL
         SELECT $1, 'write', ${TUPLE_COLUMNS} FROM inserted
         RETURNING id
       )
       SELECT max(id)::text AS revision FROM logged`,
      [zoneId, ...deleteColumns, ...writeColumns],
    );
    return row?.revision ? BigInt(row.revision) : null;
  }

  /** deleteByObjects and the change log in one statement; resolves the revision after it, null when nothing was named. */
  async deleteObjectsLogged(
    manager: EntityManager,
    zoneId: string,
    objectType: string,
    objectIds: readonly string[],
  ): Promise<bigint | null> {
    if (objectIds.length === 0) return null;
    const [row] = await manager.query<{ revision: string | null }[]>(
      `WITH deleted AS (
         DELETE FROM relation_tuples WHERE zone_id = $1
           AND ((object_type = $2 AND object_id = ANY($3::text[])) OR (subject_type = $2 AND subject_id = ANY($3::text[])))
         RETURNING ${TUPLE_COLUMNS}
       ), logged AS (
         INSERT INTO rebac_changes (zone_id, operation, ${TUPLE_COLUMNS})
         SELECT $1, 'delete', ${TUPLE_COLUMNS} FROM deleted RETURNING id
       )
       SELECT max(id)::text AS revision FROM logged`,
      [zoneId, objectType, objectIds],
    );
    return row?.revision ? BigInt(row.revision) : null;
  }

  /** Appends changes in order; returns the last change id, or null when there are none. */
  async appendChanges(
    manager: EntityManager,
    zoneId: string,
    operation: ChangeOperation,
    rows: readonly TupleRow[],
  ): Promise<bigint | null> {
    if (rows.length === 0) return null;
    const ids = await manager.query<{ id: string }[]>(
      `INSERT INTO rebac_changes (zone_id, operation, ${TUPLE_COLUMNS})
       SELECT $1, $8, u.object_type, u.object_id, u.relation, u.subject_type, u.subject_id, u.subject_relation
       FROM ${UNNEST_TUPLES} WITH ORDINALITY AS u(${TUPLE_COLUMNS}, n) ORDER BY u.n RETURNING id`,
      [...tupleParameters(zoneId, rows), operation],
    );
    return ids.reduce((max, row) => (BigInt(row.id) > max ? BigInt(row.id) : max), 0n);
  }

  /** The zone's revision (latest change id, 0 without changes) and latest model version (null without one). */
  async zoneState(
    sql: SqlExecutor,
    zoneId: string,
  ): Promise<{ revision: bigint; modelVersion: number | null }> {
    const [row] = (await sql(
      `SELECT (SELECT coalesce(max(id), 0) FROM rebac_changes WHERE zone_id = $1)::text AS revision,
              (SELECT max(version) FROM rebac_models WHERE zone_id = $1) AS model_version`,
      [zoneId],
      { prepared: true },
    )) as { revision: string; model_version: number | null }[];
    return { revision: BigInt(row?.revision ?? '0'), modelVersion: row?.model_version ?? null };
  }

  /** Tuples matching a filter, in key order after `after`, at most `limit`. */
  async read(
    zoneId: string,
    filter: TupleFilter,
    after: TuplePosition | null,
    limit: number,
  ): Promise<StoredTupleRow[]> {
    const where = ['zone_id = $1'];
    const parameters: unknown[] = [zoneId];
    const add = (column: string, value: string | undefined) => {
      if (value === undefined) return;
      parameters.push(value);
      where.push(`${column} = $${parameters.length}`);
    };
    add('object_type', filter.objectType);
    add('object_id', filter.objectId);
    add('relation', filter.relation);
    add('subject_type', filter.subjectType);
    add('subject_id', filter.subjectId);
    add('subject_relation', filter.subjectRelation);
    if (after) {
      parameters.push(...after);
      const n = parameters.length;
      where.push(`(${TUPLE_COLUMNS}) > ($${n - 5}, $${n - 4}, $${n - 3}, $${n - 2}, $${n - 1}, $${n})`);
    }
    parameters.push(limit);
    const rows = await this.dataSource.query<(TupleRecord & { created_at: Date })[]>(
      `SELECT ${TUPLE_COLUMNS}, created_at FROM relation_tuples WHERE ${where.join(' AND ')}
       ORDER BY ${TUPLE_COLUMNS} LIMIT $${parameters.length}`,
      parameters,
    );
    return rows.map((row) => ({ ...toTupleRow(row), createdAt: row.created_at }));
  }

  /** Changes after a revision, oldest first. */
  async changes(zoneId: string, after: bigint, limit: number, objectType?: string): Promise<ChangeRow[]> {
    const parameters: unknown[] = [zoneId, after.toString(), limit];
    const typeFilter = objectType === undefined ? '' : 'AND object_type = $4';
    if (objectType !== undefined) parameters.push(objectType);
    const rows = await this.dataSource.query<
      (TupleRecord & { id: string; operation: ChangeOperation; created_at: Date })[]
    >(
      `SELECT id::text AS id, operation, ${TUPLE_COLUMNS}, created_at FROM rebac_changes
       WHERE zone_id = $1 AND rebac_changes.id > $2::bigint ${typeFilter} ORDER BY rebac_changes.id LIMIT $3`,
      parameters,
    );
    return rows.map((row) => ({
      ...toTupleRow(row),
      id: row.id,
      operation: row.operation,
      createdAt: row.created_at,
    }));
  }

  executor(manager?: EntityManager): SqlExecutor {
    return executorOf(manager ?? this.dataSource);
  }
}

/** TypeORM returns [rows, count] for DELETE … RETURNING on PostgreSQL. */
function returned(result: [TupleRecord[], number] | TupleRecord[]): TupleRecord[] {
  if (Array.isArray(result[0])) return result[0];
  return result as TupleRecord[];
}
