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
 *
 * Every branch is an index probe, never a scan of an object's grants: usersets
 * come from the partial userset index, a subject's own grant is one lookup of
 * the unique index per subject (LIMIT 1 keeps that lookup from being flattened
 * into a scan of the object's rows), and only tupleset keys read all their rows.
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
    CROSS JOIN LATERAL (
      SELECT t.subject_type::text, t.subject_id::text, t.subject_relation::text
      FROM relation_tuples t
      WHERE t.zone_id = $1 AND t.object_type = k.object_type AND t.object_id = k.object_id
        AND t.relation = k.relation AND t.subject_relation <> ''
      UNION ALL
      SELECT t.subject_type::text, t.subject_id::text, p.relation
      FROM relation_tuples t JOIN prefetch p ON p.object_type = t.subject_type
      WHERE (k.object_type, k.relation) IN (SELECT * FROM follow)
        AND t.zone_id = $1 AND t.object_type = k.object_type AND t.object_id = k.object_id
        AND t.relation = k.relation AND t.subject_relation = '' AND t.subject_id <> '*'
    ) AS n(object_type, object_id, relation)
  )
SELECT k.object_type, k.object_id, k.relation, t.subject_type, t.subject_id, t.subject_relation
FROM k
LEFT JOIN LATERAL (
  SELECT u.subject_type, u.subject_id, u.subject_relation FROM relation_tuples u
  WHERE u.zone_id = $1 AND u.object_type = k.object_type AND u.object_id = k.object_id
    AND u.relation = k.relation AND u.subject_relation <> ''
  UNION ALL
  SELECT a.subject_type, a.subject_id, a.subject_relation FROM relation_tuples a
  WHERE (NOT $9::boolean OR (k.object_type, k.relation) IN (SELECT * FROM follow))
    AND a.zone_id = $1 AND a.object_type = k.object_type AND a.object_id = k.object_id
    AND a.relation = k.relation AND a.subject_relation = ''
  UNION ALL
  SELECT e.subject_type, e.subject_id, e.subject_relation
  FROM unnest($10::text[], $11::text[]) AS s(type, id)
  CROSS JOIN LATERAL (
    SELECT x.subject_type, x.subject_id, x.subject_relation FROM relation_tuples x
    WHERE x.zone_id = $1 AND x.object_type = k.object_type AND x.object_id = k.object_id
      AND x.relation = k.relation AND x.subject_type = s.type AND x.subject_id = s.id AND x.subject_relation = ''
    LIMIT 1
  ) e
  WHERE $9::boolean AND (k.object_type, k.relation) NOT IN (SELECT * FROM follow)
) t ON true`;

/** The plain subjects a filtered load looks up one by one: each subject and its type's wildcard. */
function plainLookups(subjects: readonly TupleSubject[]): { types: string[]; ids: string[] } {
  const seen = new Set<string>();
  const types: string[] = [];
  const ids: string[] = [];
  for (const subject of subjects) {
    if (subject.relation !== '') continue;
    for (const id of [subject.id, '*']) {
      const key = `${subject.type}\u0000${id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      types.push(subject.type);
      ids.push(id);
    }
  }
  return { types, ids };
}

const FIND_BY_SUBJECTS_SQL = `
SELECT object_type, object_id, relation, subject_type, subject_id, subject_relation
FROM relation_tuples
WHERE zone_id = $1
  AND (subject_type, subject_id, subject_relation) IN (SELECT * FROM unnest($2::text[], $3::text[], $4::text[]))`;

/** object_id is in the "C" collation: this order is code point order, read from the unique index. */
const OBJECT_IDS_SQL = `
SELECT DISTINCT object_id FROM relation_tuples
WHERE zone_id = $1 AND object_type = $2
ORDER BY object_id LIMIT $3`;

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
    const lookups = plainLookups(subjects ?? []);
    const rows = (await this.sql(
      LOAD_SQL,
      [
        this.zoneId,
        keys.map((k) => k.type),
        keys.map((k) => k.id),
        keys.map((k) => k.relation),
        follow.map((f) => f[0]),
        follow.map((f) => f[1]),
        prefetch.map((p) => p[0]),
        prefetch.map((p) => p[1]),
        subjects !== null,
        lookups.types,
        lookups.ids,
      ],
      { prepared: true },
    )) as LoadedRow[];
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
    const rows = (await this.sql(
      FIND_BY_SUBJECTS_SQL,
      [this.zoneId, subjects.map((s) => s.type), subjects.map((s) => s.id), subjects.map((s) => s.relation)],
      { prepared: true },
    )) as TupleRecord[];
    return rows.map(toTupleRow);
  }

  async objectIds(type: string, limit: number): Promise<string[]> {
    const rows = (await this.sql(OBJECT_IDS_SQL, [this.zoneId, type, limit], { prepared: true })) as {
      object_id: string;
    }[];
    return rows.map((row) => row.object_id);
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
