import type { LoadRequest, TupleLoader } from '../engine/tuple-loader';
import { nodeKey } from '../engine/tuple-loader';
import type { TupleRow, TupleSubject } from '../tuple/tuple.types';
import type { SqlExecutor } from './sql';

interface LoadedRow {
  object_type: string;
  object_id: string;
  relation: string;
  subject_type: string | null;
  subject_id: string | null;
  subject_relation: string | null;
}

interface TupleRecord {
  object_type: string;
  object_id: string;
  relation: string;
  subject_type: string;
  subject_id: string;
  subject_relation: string;
}

/*
 * One statement reads the requested keys and everything an evaluation will
 * predictably need next, recursively: the keys of usersets the tuples name, and
 * for tupleset relations (`parent`) the assignable relations of the parent —
 * so a whole ancestor chain and its group nesting arrive in one round trip.
 * With subjects, plain tuples are kept only when they match one of them (or
 * their type's wildcard); usersets and tupleset tuples are always kept.
 */
const LOAD_SQL = `
WITH RECURSIVE
  follow(object_type, relation) AS (SELECT * FROM unnest($5::text[], $6::text[])),
  prefetch(object_type, relation) AS (SELECT * FROM unnest($7::text[], $8::text[])),
  k(object_type, object_id, relation) AS (
    SELECT * FROM unnest($2::text[], $3::text[], $4::text[])
    UNION
    SELECT n.object_type, n.object_id, n.relation
    FROM k
    JOIN relation_tuples t
      ON t.zone_id = $1 AND t.object_type = k.object_type AND t.object_id = k.object_id AND t.relation = k.relation
    CROSS JOIN LATERAL (
      SELECT t.subject_type::text, t.subject_id::text, t.subject_relation::text WHERE t.subject_relation <> ''
      UNION ALL
      SELECT t.subject_type::text, t.subject_id::text, p.relation FROM prefetch p
      WHERE t.subject_relation = '' AND t.subject_id <> '*' AND p.object_type = t.subject_type
        AND EXISTS (SELECT 1 FROM follow f WHERE f.object_type = k.object_type AND f.relation = k.relation)
    ) AS n(object_type, object_id, relation)
  )
SELECT k.object_type, k.object_id, k.relation, t.subject_type, t.subject_id, t.subject_relation
FROM k
LEFT JOIN relation_tuples t
  ON t.zone_id = $1 AND t.object_type = k.object_type AND t.object_id = k.object_id AND t.relation = k.relation
  AND (
    NOT $9::boolean
    OR t.subject_relation <> ''
    OR EXISTS (SELECT 1 FROM follow f WHERE f.object_type = k.object_type AND f.relation = k.relation)
    OR (t.subject_type, t.subject_id, t.subject_relation) IN (SELECT * FROM unnest($10::text[], $11::text[], $12::text[]))
    OR (t.subject_id = '*' AND t.subject_relation = '' AND t.subject_type = ANY($13::text[]))
  )`;

const FIND_BY_SUBJECTS_SQL = `
SELECT object_type, object_id, relation, subject_type, subject_id, subject_relation
FROM relation_tuples
WHERE zone_id = $1
  AND (subject_type, subject_id, subject_relation) IN (SELECT * FROM unnest($2::text[], $3::text[], $4::text[]))`;

/** Reads one zone's tuples from PostgreSQL: each call is one statement. */
export class PgTupleLoader implements TupleLoader {
  constructor(
    private readonly sql: SqlExecutor,
    private readonly zoneId: string,
  ) {}

  async load(request: LoadRequest): Promise<Map<string, TupleSubject[]>> {
    const { model, keys, subjects } = request;
    const follow = [...model.tuplesets].map((key) => key.split('#') as [string, string]);
    const prefetch: [string, string][] = [];
    for (const [type, relations] of model.assignableByType)
      for (const relation of relations) prefetch.push([type, relation]);
    const filter = subjects ?? [];
    const rows = (await this.sql(LOAD_SQL, [
      this.zoneId,
      keys.map((k) => k.type),
      keys.map((k) => k.id),
      keys.map((k) => k.relation),
      follow.map((f) => f[0]),
      follow.map((f) => f[1]),
      prefetch.map((p) => p[0]),
      prefetch.map((p) => p[1]),
      subjects !== null,
      filter.map((s) => s.type),
      filter.map((s) => s.id),
      filter.map((s) => s.relation),
      [...new Set(filter.filter((s) => s.relation === '').map((s) => s.type))],
    ])) as LoadedRow[];
    const result = new Map<string, TupleSubject[]>();
    for (const row of rows) {
      const key = nodeKey(row.object_type, row.object_id, row.relation);
      let list = result.get(key);
      if (!list) {
        list = [];
        result.set(key, list);
      }
      if (row.subject_type !== null && row.subject_id !== null) {
        list.push({ type: row.subject_type, id: row.subject_id, relation: row.subject_relation ?? '' });
      }
    }
    return result;
  }

  async findBySubjects(subjects: readonly TupleSubject[]): Promise<TupleRow[]> {
    if (subjects.length === 0) return [];
    const rows = (await this.sql(FIND_BY_SUBJECTS_SQL, [
      this.zoneId,
      subjects.map((s) => s.type),
      subjects.map((s) => s.id),
      subjects.map((s) => s.relation),
    ])) as TupleRecord[];
    return rows.map(toTupleRow);
  }
}

export function toTupleRow(row: TupleRecord): TupleRow {
  return {
    objectType: row.object_type,
    objectId: row.object_id,
    relation: row.relation,
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    subjectRelation: row.subject_relation,
  };
}
