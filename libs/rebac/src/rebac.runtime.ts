import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { DomainError } from '@nexus/core';
import { DataSource } from 'typeorm';
import { CheckCache } from './cache/check-cache';
import { ListCache } from './cache/list-cache';
import { RebacEngine } from './engine/rebac-engine';
import type { RebacOptions } from './rebac.options';
import { DEFAULT_REBAC_OPTIONS, REBAC_OPTIONS } from './rebac.options';
import { RebacUnavailableError, RebacValidationError } from './rebac.errors';
import type { Consistency } from './rebac.types';
import { CONSISTENCY_MODES } from './rebac.types';
import { decodeRevision } from './revision';
import { ModelStore } from './store/model-store';
import { PgTupleLoader } from './store/pg-tuple-loader';
import type { SqlExecutor } from './store/sql';
import { executorOf } from './store/sql';
import { TupleStore } from './store/tuple-store';
import { assertZoneId } from './zone/zone-id';
import type { ZoneState } from './zone/zone-states';
import { ZoneStates } from './zone/zone-states';

export interface ResolvedZone {
  state: ZoneState;
  /** Whether cached check results may answer (not for fully_consistent). */
  useCache: boolean;
  engine: RebacEngine;
}

/**
 * What the rebac services share in one process: the stores, each zone's known
 * revision and model, and the check cache (one instance, so a local write is
 * seen by the next check at once).
 */
@Injectable()
export class RebacRuntime {
  readonly options: RebacOptions;
  readonly sql: SqlExecutor;
  readonly tuples: TupleStore;
  readonly models: ModelStore;
  readonly zones: ZoneStates;
  readonly cache: CheckCache;
  readonly lists = new ListCache();
  private readonly logger = new Logger('Rebac');

  constructor(
    readonly dataSource: DataSource,
    @Optional() @Inject(REBAC_OPTIONS) options?: Partial<RebacOptions>,
  ) {
    this.options = { ...DEFAULT_REBAC_OPTIONS, ...options };
    this.sql = executorOf(dataSource);
    this.tuples = new TupleStore(dataSource);
    this.models = new ModelStore(dataSource);
    this.zones = new ZoneStates(this.sql, this.tuples, this.models, this.options.cachedZones);
    this.cache = new CheckCache(this.options.cacheEntriesPerZone, this.options.cachedZones);
  }

  /** The zone's state as fresh as the consistency asks, and an engine over it. */
  async resolve(zoneId: string, consistency?: Consistency): Promise<ResolvedZone> {
    assertZoneId(zoneId);
    const mode = consistency?.mode ?? 'minimize_latency';
    if (!CONSISTENCY_MODES.includes(mode))
      throw new RebacValidationError(`unknown consistency mode '${String(mode)}'`);
    let state: ZoneState;
    let useCache = true;
    if (mode === 'fully_consistent') {
      state = await this.zones.get(zoneId, 0);
      useCache = false;
    } else if (mode === 'at_least_as_fresh') {
      if (consistency?.token === undefined)
        throw new RebacValidationError('at_least_as_fresh needs a revision token');
      const wanted = decodeRevision(consistency.token);
      state = await this.zones.get(zoneId, this.options.stalenessMs);
      if (state.revision < wanted) state = await this.zones.get(zoneId, 0);
    } else {
      state = await this.zones.get(zoneId, this.options.stalenessMs);
    }
    return { state, useCache, engine: new RebacEngine(state.model, new PgTupleLoader(this.sql, zoneId)) };
  }

  /**
   * Runs evaluation work failing closed: domain errors pass through, anything
   * else (database down, a bug) becomes REBAC_UNAVAILABLE — never an "allowed".
   */
  async guard<T>(operation: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof DomainError) throw error;
      this.logger.error(
        `rebac ${operation} failed: ${error instanceof Error ? error.message : String(error)}`,
      );
      throw new RebacUnavailableError(error);
    }
  }
}
