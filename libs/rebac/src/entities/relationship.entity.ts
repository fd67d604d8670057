import { Timestamped, UuidEntity, ZoneScoped } from '@nexus/storage-models';
import { Column, Entity, Index } from 'typeorm';

/**
 * One relationship: `object#relation@subject` in a zone. subjectRelation is ''
 * (never NULL) when the subject is not a userset, so the unique index covers
 * every tuple. The second index serves reverse lookups (list-objects). The
 * third, a covering partial index of the userset tuples that TypeORM cannot
 * describe (INCLUDE), is the migration's alone.
 */
@Entity('relation_tuples')
@Index(['zoneId', 'objectType', 'objectId', 'relation', 'subjectType', 'subjectId', 'subjectRelation'], {
  unique: true,
})
@Index(['zoneId', 'subjectType', 'subjectId', 'subjectRelation'])
@Index('IDX_relation_tuples_usersets', { synchronize: false })
export class Relationship extends ZoneScoped(Timestamped(UuidEntity)) {
  @Column({ type: 'varchar', length: 128 })
  objectType: string;

  /** "C" collation: the unique index lists objects in code point order (list-objects pages by it). */
  @Column({ type: 'varchar', length: 1024, collation: 'C' })
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
