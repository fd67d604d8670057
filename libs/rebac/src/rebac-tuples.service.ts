import type { Page } from '@nexus/core';
import { decodeCursor, encodeCursor } from '@nexus/core';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { failClosed } from './fail-closed';
import { compileModel } from './model/model-compiler';
import { assertTupleFits } from './model/request-validation';
import { pageLimit } from './paging';
import { RebacPreconditionFailedError, RebacValidationError, TooManyItemsError } from './rebac.errors';
import type { ChangesResult, StoredTuple, WriteTuplesRequest, WriteTuplesResult } from './rebac.types';
import { decodeRevision, encodeRevision } from './revision';
import type { TupleFilter, TuplePosition } from './store/tuple-store';
import { TupleStore } from './store/tuple-store';
import { ModelStore } from './store/model-store';
import { assertTupleShape, isValidName } from './tuple/tuple-parsing';
import type { RelationTuple, TupleRow } from './tuple/tuple.types';
import { formatTuple, fromRow, rowKey, toRow } from './tuple/tuple.types';
import { assertZoneId } from './zone/zone-id';
import { ZoneStates } from './zone/zone-states';

export const MAX_TUPLES_PER_WRITE = 1_000;

interface TuplePositionCursor extends Record<string, unknown> {
  k: TuplePosition;
}

function isTuplePosition(value: unknown): value is TuplePositionCursor {
  const k = (value as { k?: unknown } | null)?.k;
  return Array.isArray(k) && k.length === 6 && k.every((part) => typeof part === 'string');
}

function uniqueRows(tuples: readonly RelationTuple[]): TupleRow[] {
  const seen = new Map<string, TupleRow>();
  for (const tuple of tuples) {
    const row = toRow(tuple);
    seen.set(rowKey(row), row);
  }
  return [...seen.values()];
}

function arrayOf(value: unknown, name: string): RelationTuple[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new RebacValidationError(`${name} must be an array of tuples`);
  for (const tuple of value) assertTupleShape(tuple);
  return value as RelationTuple[];
}

/** Writing and reading a zone's tuples, and its change log. */
@Injectable()
export class RebacTuplesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tuples: TupleStore,
    private readonly models: ModelStore,
    private readonly zones: ZoneStates,
  ) {}

  /**
   * Applies deletes and writes atomically. Writing an existing tuple or deleting
   * an absent one changes nothing; a tuple the model does not allow rejects the
   * whole request. Returns the revision token of the zone after the write.
   */
  async write(zoneId: string, request: WriteTuplesRequest): Promise<WriteTuplesResult> {
    assertZoneId(zoneId);
    const writes = uniqueRows(arrayOf(request?.writes, 'writes'));
    const deletes = uniqueRows(arrayOf(request?.deletes, 'deletes'));
    const exist = uniqueRows(arrayOf(request?.preconditions?.exist, 'preconditions.exist'));
    const absent = uniqueRows(arrayOf(request?.preconditions?.absent, 'preconditions.absent'));
    const expectedRevision =
      request?.preconditions?.revision === undefined ? null : decodeRevision(request.preconditions.revision);
    const total = writes.length + deletes.length;
    if (total > MAX_TUPLES_PER_WRITE)
      throw new TooManyItemsError('tuple writes and deletes', MAX_TUPLES_PER_WRITE, total);
    const deleting = new Set(deletes.map(rowKey));
    const both = writes.find((row) => deleting.has(rowKey(row)));
    if (both)
      throw new RebacValidationError(`tuple ${formatTuple(fromRow(both))} is both written and deleted`);

    return failClosed('write tuples', async () => {
      const known = await this.zones.get(zoneId, 0);
      for (const row of writes) assertTupleFits(known.model, fromRow(row));
      const { tuples, models } = this;
      const result = await this.dataSource.transaction(async (manager) => {
        await tuples.lockZone(manager, zoneId);
        const sql = tuples.executor(manager);
        const state = await tuples.zoneState(sql, zoneId);
        if (expectedRevision !== null && state.revision !== expectedRevision) {
          throw new RebacPreconditionFailedError('the zone is no longer at the expected revision', {
            expected: encodeRevision(expectedRevision),
            actual: encodeRevision(state.revision),
          });
        }
        if (state.modelVersion !== known.modelVersion) {
          // The model changed since validation: validate again against the one in force.
          const stored = await models.get(zoneId, state.modelVersion ?? undefined);
          if (stored) for (const row of writes) assertTupleFits(compileModel(stored.model), fromRow(row));
        }
        const missing = exist.length - (await tuples.existing(sql, zoneId, exist)).length;
        if (missing > 0)
          throw new RebacPreconditionFailedError(`${missing} tuple(s) required to exist do not`);
        const present = await tuples.existing(sql, zoneId, absent);
        if (present.length > 0) {
          throw new RebacPreconditionFailedError('tuple(s) required to be absent exist', {
            tuples: present.map((r) => formatTuple(fromRow(r))),
          });
        }
        const deleted = await tuples.delete(manager, zoneId, deletes);
        const written = await tuples.insert(manager, zoneId, writes);
        const afterDeletes = await tuples.appendChanges(manager, zoneId, 'delete', deleted);
        const afterWrites = await tuples.appendChanges(manager, zoneId, 'write', written);
        const revision = afterWrites ?? afterDeletes ?? state.revision;
        return { revision, written: written.length, deleted: deleted.length };
      });
      this.zones.advance(zoneId, result.revision);
      return { revision: encodeRevision(result.revision), written: result.written, deleted: result.deleted };
    });
  }

  /** Tuples matching the filter, in a stable order, paged. */
  async read(
    zoneId: string,
    filter: TupleFilter,
    page: { limit?: number; cursor?: string } = {},
  ): Promise<Page<StoredTuple>> {
    assertZoneId(zoneId);
    for (const [field, value] of Object.entries(filter ?? {})) {
      if (value === undefined) continue;
      if (typeof value !== 'string' || value.length === 0 || value.length > 1024)
        throw new RebacValidationError(`${field} must be a non-empty string`);
    }
    if (filter.objectId !== undefined && filter.objectType === undefined)
      throw new RebacValidationError('objectId needs objectType');
    if (filter.subjectId !== undefined && filter.subjectType === undefined)
      throw new RebacValidationError('subjectId needs subjectType');
    for (const name of [filter.objectType, filter.relation, filter.subjectType]) {
      if (name !== undefined && !isValidName(name))
        throw new RebacValidationError('a type or relation filter is not a valid name', { name });
    }
    const limit = pageLimit(page.limit);
    const after = page.cursor === undefined ? null : decodeCursor(page.cursor, isTuplePosition).k;
    return failClosed('read tuples', async () => {
      const rows = await this.tuples.read(zoneId, filter, after, limit + 1);
      const items = rows.slice(0, limit);
      const last = items[items.length - 1];
      const nextCursor =
        rows.length > limit && last
          ? encodeCursor({
              k: [
                last.objectType,
                last.objectId,
                last.relation,
                last.subjectType,
                last.subjectId,
                last.subjectRelation,
              ],
            })
          : null;
      return { items: items.map((row) => ({ ...fromRow(row), createdAt: row.createdAt })), nextCursor };
    });
  }

  /** Changes after `since` (a revision token; the beginning when absent), oldest first. */
  async changes(
    zoneId: string,
    options: { since?: string; limit?: number; objectType?: string } = {},
  ): Promise<ChangesResult> {
    assertZoneId(zoneId);
    const since = options.since === undefined ? 0n : decodeRevision(options.since);
    const limit = pageLimit(options.limit);
    if (options.objectType !== undefined && !isValidName(options.objectType))
      throw new RebacValidationError('objectType is not a valid type name');
    return failClosed('read changes', async () => {
      const rows = await this.tuples.changes(zoneId, since, limit, options.objectType);
      const last = rows[rows.length - 1];
      return {
        changes: rows.map((row) => ({
          operation: row.operation,
          tuple: fromRow(row),
          revision: encodeRevision(BigInt(row.id)),
          at: row.createdAt,
        })),
        revision: encodeRevision(last ? BigInt(last.id) : since),
      };
    });
  }

  /** The zone's current revision token (fully consistent). */
  async revision(zoneId: string): Promise<string> {
    assertZoneId(zoneId);
    return failClosed('read revision', async () =>
      encodeRevision((await this.zones.get(zoneId, 0)).revision),
    );
  }
}
