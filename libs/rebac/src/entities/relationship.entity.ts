import { Timestamped, UuidEntity, ZoneScoped } from '@nexus/storage-models';
import { Column, Entity, Index } from 'typeorm';

/**
 * One relationship: `object#relation@subject` in a zone. subjectRelation is ''
 * (never NULL) when the subject is not a userset, so the unique index covers
 * every tuple. The second index serves reverse lookups (list-objects).
 */
@Entity('relation_tuples')
@Index(['zoneId', 'objectType', 'objectId', 'relation', 'subjectType', 'subjectId', 'subjectRelation'], {
  unique: true,
})
@Index(['zoneId', 'subjectType', 'subjectId', 'subjectRelation'])
export class Relationship extends ZoneScoped(Timestamped(UuidEntity)) {
  @Column({ type: 'varchar', length: 128 })
  objectType: string;

  @Column({ type: 'varchar', length: 1024 })
  objectId: string;

  @Column({ type: 'varchar', length: 128 })
  relation: string;

  @Column({ type: 'varchar', length: 128 })
  subjectType: string;

  /** '*' for a wildcard subject (`user:*`). */
  @Column({ type: 'varchar', length: 1024 })
  subjectId: string;

  @Column({ type: 'varchar', length: 128, default: '' })
  subjectRelation: string;
}
