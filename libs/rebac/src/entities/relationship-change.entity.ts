import { ZoneScoped } from '@nexus/storage-models';
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const CHANGE_OPERATIONS = ['write', 'delete'] as const;
export type ChangeOperation = (typeof CHANGE_OPERATIONS)[number];

/** The change log's key: a database-wide increasing bigint that doubles as the revision. */
abstract class Sequenced {
  /** bigint, read as a decimal string. */
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;
}

/**
 * One tuple written or deleted: a line of the change log (the watch feed). A
 * zone's latest change id is its permission revision; tuple writes to one zone
 * are serialised, so ids become visible in order.
 */
@Entity('rebac_changes')
@Index(['zoneId', 'id'])
export class RelationshipChange extends ZoneScoped(Sequenced) {
  @Column({ type: 'varchar', length: 8 })
  operation: ChangeOperation;

  @Column({ type: 'varchar', length: 128 })
  objectType: string;

  @Column({ type: 'varchar', length: 1024 })
  objectId: string;

  @Column({ type: 'varchar', length: 128 })
  relation: string;

  @Column({ type: 'varchar', length: 128 })
  subjectType: string;

  @Column({ type: 'varchar', length: 1024 })
  subjectId: string;

  @Column({ type: 'varchar', length: 128, default: '' })
  subjectRelation: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
