import { Timestamped, UuidEntity, ZoneScoped } from '@nexus/storage-models';
import { Column, Entity, Index } from 'typeorm';

/**
 * One relationship: `object#relation@subject` in a zone. subjectRelation is ''
 * (never NULL) when the subject is not a userset, so the unique index covers
 * every tuple. The second index serves reverse lookups (list-objects); it holds
 * the whole key too, so a lookup of one exact tuple is exact in either index
 * and the planner cannot pick a scan of everything a subject holds (an agent
 * owning 10,000 files made that 0.5 ms per probe while table statistics lagged). The
 * third, a covering partial index of the userset tuples that TypeORM cannot
 * describe (INCLUDE), is the migration's alone.
 */
@Entity('relation_tuples')
@Index(['zoneId', 'objectType', 'objectId', 'relation', 'subjectType', 'subjectId', 'subjectRelation'], {
  unique: true,
})
@Index('IDX_relation_tuples_by_subject', [
  'zoneId',
  'subjectType',
  'subjectId',
  'subjectRelation',
  'objectType',
  'relation',
  'objectId',
])
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
