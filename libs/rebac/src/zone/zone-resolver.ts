import { Inject, Injectable } from '@nestjs/common';
import { RebacEngine } from '../engine/rebac-engine';
import type { RebacOptions } from '../rebac.options';
import { REBAC_OPTIONS } from '../rebac.options';
import { RebacValidationError } from '../rebac.errors';
import type { Consistency } from '../rebac.types';
import { CONSISTENCY_MODES } from '../rebac.types';
import { decodeRevision } from '../revision';
import { PgTupleLoader } from '../store/pg-tuple-loader';
import type { SqlExecutor } from '../store/sql';
import { REBAC_SQL_EXECUTOR } from '../store/sql';
import { assertZoneId } from './zone-id';
import type { ZoneState } from './zone-states';
import { ZoneStates } from './zone-states';

/** A zone at the state a request's consistency asks for, and an engine over it. */
export interface ResolvedZone {
  state: ZoneState;
  /** Whether cached results may answer (not for fully_consistent). */
  useCache: boolean;
  engine: RebacEngine;
}

/** Turns (zone, consistency) into the zone state to answer at: the first step of every question. */
@Injectable()
export class ZoneResolver {
  constructor(
    private readonly zones: ZoneStates,
    @Inject(REBAC_SQL_EXECUTOR) private readonly sql: SqlExecutor,
    @Inject(REBAC_OPTIONS) private readonly options: RebacOptions,
  ) {}

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
}
