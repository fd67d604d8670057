import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { assertTupleFits } from './model/request-validation';
import type { RebacOptions } from './rebac.options';
import { REBAC_OPTIONS } from './rebac.options';
import { TupleStore } from './store/tuple-store';
import { assertTupleShape } from './tuple/tuple-parsing';
import type { RelationTuple } from './tuple/tuple.types';
import { rowKey, toRow } from './tuple/tuple.types';
import { RebacValidationError } from './rebac.errors';
import { assertZoneId } from './zone/zone-id';
import { ZoneStates } from './zone/zone-states';

/**
 * Tuple changes that commit with another domain's rows (a created file and its
 * owner tuple are one transaction). Call `prepare` before opening the
 * transaction (it may read the zone's model over another connection, which an
 * embedded database would serialise behind the open transaction), the write
 * methods inside it, and `committed` after the commit so this process's checks
 * see the new revision at once.
 */
@Injectable()
export class RebacInTransaction {
  constructor(
    private readonly zones: ZoneStates,
    private readonly tuples: TupleStore,
    @Inject(REBAC_OPTIONS) private readonly options: RebacOptions,
  ) {}

  /** Loads the zone's model (installing the default one on first use). */
  async prepare(zoneId: string): Promise<void> {
    assertZoneId(zoneId);
    await this.zones.get(zoneId, this.options.stalenessMs);
  }

  /** Writes and deletes tuples in `manager`'s transaction; resolves the zone revision after them, null when nothing changed. */
  async write(
    manager: EntityManager,
    zoneId: string,
    change: { writes?: readonly RelationTuple[]; deletes?: readonly RelationTuple[] },
  ): Promise<bigint | null> {
    const writes = (change.writes ?? []).map((tuple) => (assertTupleShape(tuple), toRow(tuple)));
    const deletes = (change.deletes ?? []).map((tuple) => (assertTupleShape(tuple), toRow(tuple)));
    if (writes.length === 0 && deletes.length === 0) return null;
    const deleting = new Set(deletes.map(rowKey));
    // One statement deletes and inserts: a tuple in both lists would have no defined outcome.
    if (writes.some((row) => deleting.has(rowKey(row))))
      throw new RebacValidationError('a tuple cannot be written and deleted in one change');
    const { model } = await this.zones.get(zoneId, Number.POSITIVE_INFINITY);
    for (const tuple of change.writes ?? []) assertTupleFits(model, tuple);
    const { tuples } = this;
    await tuples.lockZone(manager, zoneId);
    return tuples.applyChanges(manager, zoneId, writes, deletes);
  }

  /** Deletes every tuple naming these objects, as object or as subject (the objects are gone). */
  async deleteObjects(
    manager: EntityManager,
    zoneId: string,
    objectType: string,
    objectIds: readonly string[],
  ): Promise<bigint | null> {
    if (objectIds.length === 0) return null;
    const { tuples } = this;
    await tuples.lockZone(manager, zoneId);
    return tuples.deleteObjectsLogged(manager, zoneId, objectType, objectIds);
  }

  /** After commit: this process's checks answer at `revision` or later. */
  committed(zoneId: string, revision: bigint | null): void {
    if (revision !== null) this.zones.advance(zoneId, revision);
  }
}
