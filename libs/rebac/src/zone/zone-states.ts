import type { CompiledModel } from '../model/compiled-model';
import { defaultModel } from '../model/default-model';
import { compileModel } from '../model/model-compiler';
import { ModelNotFoundError } from '../rebac.errors';
import type { ModelStore } from '../store/model-store';
import type { SqlExecutor } from '../store/sql';
import type { TupleStore } from '../store/tuple-store';

/** What the engine knows of a zone: its revision and the model in force. */
export interface ZoneState {
  zoneId: string;
  revision: bigint;
  modelVersion: number;
  model: CompiledModel;
  /** When the revision was read (ms since epoch). */
  readAt: number;
}

/**
 * Per-zone revision and compiled model, re-read when older than asked. A zone
 * without a model gets the default model installed on first use. Concurrent
 * refreshes of one zone share one read.
 */
export class ZoneStates {
  private readonly states = new Map<string, ZoneState>();
  private readonly refreshing = new Map<string, Promise<ZoneState>>();

  constructor(
    private readonly sql: SqlExecutor,
    private readonly tuples: TupleStore,
    private readonly models: ModelStore,
    private readonly maxZones = 10_000,
    private readonly clock: () => number = Date.now,
  ) {}

  async get(zoneId: string, maxAgeMs: number): Promise<ZoneState> {
    const known = this.states.get(zoneId);
    if (known && this.clock() - known.readAt <= maxAgeMs) return known;
    let pending = this.refreshing.get(zoneId);
    if (!pending) {
      pending = this.refresh(zoneId).finally(() => this.refreshing.delete(zoneId));
      this.refreshing.set(zoneId, pending);
    }
    return pending;
  }

  /** A write this process committed: the zone is now at least at `revision`. */
  advance(zoneId: string, revision: bigint): void {
    const known = this.states.get(zoneId);
    if (known && revision > known.revision)
      this.states.set(zoneId, { ...known, revision, readAt: this.clock() });
  }

  /** Forgets a zone (its model changed). */
  forget(zoneId: string): void {
    this.states.delete(zoneId);
  }

  private async refresh(zoneId: string): Promise<ZoneState> {
    const readAt = this.clock();
    let { revision, modelVersion } = await this.tuples.zoneState(this.sql, zoneId);
    if (modelVersion === null) {
      await this.models.installIfAbsent(zoneId, defaultModel().source);
      ({ revision, modelVersion } = await this.tuples.zoneState(this.sql, zoneId));
      if (modelVersion === null) throw new ModelNotFoundError(zoneId);
    }
    const known = this.states.get(zoneId);
    let model: CompiledModel;
    if (known && known.modelVersion === modelVersion) model = known.model;
    else {
      const stored = await this.models.get(zoneId, modelVersion);
      if (!stored) throw new ModelNotFoundError(zoneId, modelVersion);
      model = compileModel(stored.model);
    }
    const state: ZoneState = {
      zoneId,
      revision:
        known && known.revision > revision && known.modelVersion === modelVersion ? known.revision : revision,
      modelVersion,
      model,
      readAt,
    };
    if (!this.states.has(zoneId) && this.states.size >= this.maxZones) {
      const oldest = this.states.keys().next().value;
      if (oldest !== undefined) this.states.delete(oldest);
    }
    this.states.set(zoneId, state);
    return state;
  }
}
