import { Timestamped, UuidEntity, ZoneScoped } from '@nexus/storage-models';
import { Column, Entity, Index } from 'typeorm';
import type { AuthorizationModel } from '../model/model.types';

/** One version of a zone's authorization model (OpenFGA JSON, schema 1.1). The highest version is in force. */
@Entity('rebac_models')
@Index(['zoneId', 'version'], { unique: true })
export class AuthorizationModelVersion extends ZoneScoped(Timestamped(UuidEntity)) {
  @Column({ type: 'integer' })
  version: number;

  @Column({ type: 'varchar', length: 8 })
  schemaVersion: string;

  @Column({ type: 'jsonb' })
  model: AuthorizationModel;
}
