import type { INestApplicationContext } from '@nestjs/common';
import type { Principal } from '@nexus/core';
import { RebacTuplesService } from '@nexus/rebac';
import { DataSource } from 'typeorm';
import { FileWriter } from '../service/file-writer.service';
import { bodyOf } from './fs-test-kit';

/**
 * Database probes for the tree-operation tests: what a rejected request must
 * leave as it was, reference counts, tuples, op-log rows and events.
 */
export function treeProbes(app: () => INestApplicationContext) {
  // Resolved at call time: the probes are made while the test file is collected, before the app starts.
  const db = () => app().get(DataSource);
  const tuples = () => app().get(RebacTuplesService);
  const writer = () => app().get(FileWriter);

  /** A file event as the outbox holds it: the aggregate is the entry, its path is in the payload. */
  interface FileEventRow {
    type: string;
    path: string;
    entryId: string;
    actorType: string | null;
    actorId: string | null;
    payload: Record<string, unknown>;
  }

  interface Counts {
    versions: number;
    ops: number;
    events: number;
    tuples: number;
    refs: number;
  }

  /** Everything a rejected request must leave as it was. */
  async function snapshot(zoneId: string) {
    const [counts] = await db().query<Counts[]>(
      `SELECT
         (SELECT count(*) FROM file_versions WHERE zone_id = $1)::int AS versions,
         (SELECT count(*) FROM operation_log WHERE zone_id = $1)::int AS ops,
         (SELECT count(*) FROM outbox_events WHERE zone_id = $1)::int AS events,
         (SELECT count(*) FROM relation_tuples WHERE zone_id = $1)::int AS tuples,
         (SELECT coalesce(sum(ref_count), 0) FROM content_blobs)::int AS refs`,
      [zoneId],
    );
    const live = await db().query<{ path: string; id: string }[]>(
      `SELECT path, id FROM file_paths WHERE zone_id = $1 AND deleted_at IS NULL ORDER BY path`,
      [zoneId],
    );
    return { ...counts!, live };
  }

  async function refCount(hash: string): Promise<number> {
    const [row] = await db().query<{ ref_count: number }[]>(
      'SELECT ref_count FROM content_blobs WHERE hash = $1',
      [hash],
    );
    return row!.ref_count;
  }

  async function tuplesNaming(zoneId: string, ids: readonly string[]): Promise<number> {
    const [row] = await db().query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM relation_tuples WHERE zone_id = $1
         AND ((object_type = 'file' AND object_id = ANY($2)) OR (subject_type = 'file' AND subject_id = ANY($2)))`,
      [zoneId, ids],
    );
    return row!.n;
  }

  async function liveChildren(zoneId: string, dir: string): Promise<number> {
    const [row] = await db().query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM file_paths WHERE zone_id = $1 AND parent_path = $2 AND deleted_at IS NULL`,
      [zoneId, dir],
    );
    return row!.n;
  }

  async function parentOf(zoneId: string, id: string): Promise<string[]> {
    const rows = await db().query<{ subject_id: string }[]>(
      `SELECT subject_id FROM relation_tuples
        WHERE zone_id = $1 AND object_type = 'file' AND object_id = $2 AND relation = 'parent'`,
      [zoneId, id],
    );
    return rows.map((row) => row.subject_id);
  }

  async function lastOps(zoneId: string, n = 1) {
    return db().query<{ op: string; path: string; from_path: string | null; details: unknown }[]>(
      `SELECT op, path, from_path, details FROM operation_log WHERE zone_id = $1 ORDER BY created_at DESC, id LIMIT $2`,
      [zoneId, n],
    );
  }

  /** The zone's file events in the outbox, in append order, from the `before`-th on. */
  async function eventsSince(zoneId: string, before: number) {
    const rows = await db().query<FileEventRow[]>(
      `SELECT type, payload->>'path' AS path, aggregate_id AS "entryId", actor_type AS "actorType",
              actor_id AS "actorId", payload
         FROM outbox_events WHERE zone_id = $1 AND aggregate_type = 'file' ORDER BY sequence`,
      [zoneId],
    );
    return rows.slice(before);
  }

  function grant(owner: Principal, id: string, relation: string, to: Principal) {
    return tuples().write(owner.zoneId, {
      writes: [{ object: { type: 'file', id }, relation, subject: { type: 'user', id: to.subjectId } }],
    });
  }

  async function write(principal: Principal, path: string, content = path) {
    return writer().write(principal, path, bodyOf(content), { parents: true });
  }

  return { snapshot, refCount, tuplesNaming, liveChildren, parentOf, lastOps, eventsSince, grant, write };
}
