import type { Page } from '@nexus/core';
import { decodeCursor, encodeCursor } from '@nexus/core';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CheckCache } from './cache/check-cache';
import { failClosed } from './fail-closed';
import { defaultModel } from './model/default-model';
import { dslToJson, jsonToDsl } from './model/dsl';
import { compileModel } from './model/model-compiler';
import { pageLimit } from './paging';
import { ModelNotFoundError, RebacValidationError } from './rebac.errors';
import type { RebacOptions } from './rebac.options';
import { REBAC_OPTIONS } from './rebac.options';
import type { ModelInfo } from './rebac.types';
import type { StoredModel } from './store/model-store';
import { ModelStore } from './store/model-store';
import { TupleStore } from './store/tuple-store';
import { assertZoneId } from './zone/zone-id';
import { ZoneStates } from './zone/zone-states';

export interface WriteModelRequest {
  /** OpenFGA JSON authorization model (schema 1.1)… */
  json?: unknown;
  /** …or the same as OpenFGA DSL text. Exactly one of the two. */
  dsl?: string;
}

interface VersionCursor extends Record<string, unknown> {
  before: number;
}

function isVersionCursor(value: unknown): value is VersionCursor {
  return Number.isInteger((value as { before?: unknown } | null)?.before);
}

function info(stored: StoredModel, format: 'json' | 'dsl'): ModelInfo {
  return format === 'dsl'
    ? {
        version: stored.version,
        model: stored.model,
        dsl: jsonToDsl(stored.model),
        createdAt: stored.createdAt,
      }
    : { version: stored.version, model: stored.model, createdAt: stored.createdAt };
}

/** A zone's versioned authorization models. */
@Injectable()
export class RebacModelsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tuples: TupleStore,
    private readonly models: ModelStore,
    private readonly zones: ZoneStates,
    private readonly checkCache: CheckCache,
    @Inject(REBAC_OPTIONS) private readonly rebacOptions: RebacOptions,
  ) {}

  /** Validates and stores a new model version; it is in force for the next request. */
  async write(zoneId: string, request: WriteModelRequest): Promise<ModelInfo> {
    assertZoneId(zoneId);
    const hasJson = request?.json !== undefined && request.json !== null;
    const hasDsl = request?.dsl !== undefined && request.dsl !== null;
    if (hasJson === hasDsl) throw new RebacValidationError('give the model either as json or as dsl');
    const compiled = compileModel(hasDsl ? dslToJson(request.dsl as string) : request.json);
    return failClosed('write model', async () => {
      const stored = await this.dataSource.transaction(async (manager) => {
        await this.tuples.lockZone(manager, zoneId);
        return this.models.append(manager, zoneId, compiled.source);
      });
      this.zones.forget(zoneId);
      this.checkCache.clear(zoneId);
      return info(stored, 'json');
    });
  }

  /** The model in force (latest version) or a given version; `dsl` adds the DSL rendering. */
  async read(
    zoneId: string,
    options: { version?: number; format?: 'json' | 'dsl' } = {},
  ): Promise<ModelInfo> {
    assertZoneId(zoneId);
    if (options.version !== undefined && (!Number.isInteger(options.version) || options.version < 1)) {
      throw new RebacValidationError('version must be a positive integer');
    }
    return failClosed('read model', async () => {
      if (options.version === undefined) await this.zones.get(zoneId, this.rebacOptions.stalenessMs);
      const stored = await this.models.get(zoneId, options.version);
      if (!stored) throw new ModelNotFoundError(zoneId, options.version);
      return info(stored, options.format ?? 'json');
    });
  }

  /** Model versions, newest first, paged. */
  async list(zoneId: string, page: { limit?: number; cursor?: string } = {}): Promise<Page<ModelInfo>> {
    assertZoneId(zoneId);
    const limit = pageLimit(page.limit);
    const before = page.cursor === undefined ? null : decodeCursor(page.cursor, isVersionCursor).before;
    return failClosed('list models', async () => {
      const rows = await this.models.list(zoneId, before, limit + 1);
      const items = rows.slice(0, limit);
      const last = items[items.length - 1];
      return {
        items: items.map((row) => info(row, 'json')),
        nextCursor: rows.length > limit && last ? encodeCursor({ before: last.version }) : null,
      };
    });
  }

  /** Installs the default model unless the zone has one (for zone creation; idempotent). */
  async installDefault(zoneId: string): Promise<void> {
    assertZoneId(zoneId);
    await failClosed('install default model', () =>
      this.models.installIfAbsent(zoneId, defaultModel().source),
    );
  }
}
