import { Timestamped, UuidEntity } from '@nexus/storage-models';
import { Column, Entity, Index } from 'typeorm';

/** An isolated tenant: files, permissions, keys and users all belong to exactly one zone. */
@Entity('zones')
export class Zone extends Timestamped(UuidEntity) {
  /** Lowercase slug, unique; appears in API keys (`nx_<name>_…`). */
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 63 })
  name: string;

  @Column({ type: 'jsonb', default: {} })
  settings: Record<string, unknown>;
}
