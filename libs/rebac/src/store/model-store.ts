import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { EntityManager } from 'typeorm';
import type { AuthorizationModel } from '../model/model.types';

export interface StoredModel {
  version: number;
  model: AuthorizationModel;
  createdAt: Date;
}

interface ModelRecord {
  version: number;
  model: AuthorizationModel;
  created_at: Date;
}

function toStoredModel(row: ModelRecord): StoredModel {
  return { version: row.version, model: row.model, createdAt: row.created_at };
}

/** SQL for the versioned authorization models of a zone. */
@Injectable()
export class ModelStore {
  constructor(private readonly dataSource: DataSource) {}

  async get(zoneId: string, version?: number): Promise<StoredModel | null> {
    const rows = await this.dataSource.query<ModelRecord[]>(
      version === undefined
        ? 'SELECT version, model, created_at FROM rebac_models WHERE zone_id = $1 ORDER BY version DESC LIMIT 1'
        : 'SELECT version, model, created_at FROM rebac_models WHERE zone_id = $1 AND version = $2',
      version === undefined ? [zoneId] : [zoneId, version],
    );
    return rows[0] ? toStoredModel(rows[0]) : null;
  }

  /** Appends the next version (call with the zone lock held). */
  async append(manager: EntityManager, zoneId: string, model: AuthorizationModel): Promise<StoredModel> {
    const rows = await manager.query<ModelRecord[]>(
      `INSERT INTO rebac_models (zone_id, version, schema_version, model)
       SELECT $1, coalesce(max(version), 0) + 1, $2, $3::jsonb FROM rebac_models WHERE zone_id = $1
       RETURNING version, model, created_at`,
      [zoneId, model.schema_version, JSON.stringify(model)],
    );
    return toStoredModel(rows[0] as ModelRecord);
  }

  /** Installs `model` as version 1 unless the zone has a model already (idempotent, race-free). */
  async installIfAbsent(zoneId: string, model: AuthorizationModel): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO rebac_models (zone_id, version, schema_version, model)
       SELECT $1, 1, $2, $3::jsonb WHERE NOT EXISTS (SELECT 1 FROM rebac_models WHERE zone_id = $1)
       ON CONFLICT (zone_id, version) DO NOTHING`,
      [zoneId, model.schema_version, JSON.stringify(model)],
    );
  }

  /** Versions, newest first, below `before` (exclusive) when given. */
  async list(zoneId: string, before: number | null, limit: number): Promise<StoredModel[]> {
    const rows = await this.dataSource.query<ModelRecord[]>(
      `SELECT version, model, created_at FROM rebac_models WHERE zone_id = $1 AND ($2::int IS NULL OR version < $2::int)
       ORDER BY version DESC LIMIT $3`,
      [zoneId, before, limit],
    );
    return rows.map(toStoredModel);
  }
}
