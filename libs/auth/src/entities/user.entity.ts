import { Timestamped, UuidEntity, ZoneScoped } from '@nexus/storage-models';
import { Column, Entity, Index } from 'typeorm';

/** A person in a zone. Email is unique per zone regardless of case. */
@Entity('users')
@Index(['zoneId', 'emailNormalized'], { unique: true })
export class User extends ZoneScoped(Timestamped(UuidEntity)) {
  @Column({ type: 'varchar', length: 320 })
  email: string;

  /** Lowercased email: the uniqueness key. */
  @Column({ type: 'varchar', length: 320 })
  emailNormalized: string;

  @Column({ type: 'varchar', length: 200 })
  displayName: string;

  @Column({ type: 'boolean', default: false })
  disabled: boolean;
}
