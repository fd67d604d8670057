import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Three changes for the evaluator's reads:
 * - a covering partial index of the userset tuples (`group:g#member` and the
 *   like) by object: a check follows usersets at every level, and without it
 *   each probe reads every plain grant of the object only to throw them away;
 * - object ids in the "C" collation, so the unique index yields objects in code
 *   point order — the order list-objects pages in — whatever the database's locale;
 * - the by-subject index holds the whole key, so looking up one exact tuple is
 *   exact in either index: with it ending at the subject, the planner could
 *   (and, with lagging statistics, did) scan everything a subject holds for it.
 */
export class RebacReadPaths1796234000000 implements MigrationInterface {
  name = 'RebacReadPaths1796234000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE "relation_tuples" ALTER COLUMN "object_id" TYPE character varying(1024) COLLATE "C"',
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_relation_tuples_usersets" ON "relation_tuples" ("zone_id", "object_type", "object_id", "relation")
       INCLUDE ("subject_type", "subject_id", "subject_relation") WHERE "subject_relation" <> ''`,
    );
    await queryRunner.query('DROP INDEX "public"."IDX_c670ac1e6a2d468b6062e0d7f6"');
    await queryRunner.query(
      'CREATE INDEX "IDX_relation_tuples_by_subject" ON "relation_tuples" ("zone_id", "subject_type", "subject_id", "subject_relation", "object_type", "relation", "object_id")',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."IDX_relation_tuples_by_subject"');
    await queryRunner.query(
      'CREATE INDEX "IDX_c670ac1e6a2d468b6062e0d7f6" ON "relation_tuples" ("zone_id", "subject_type", "subject_id", "subject_relation")',
    );
    await queryRunner.query('DROP INDEX "IDX_relation_tuples_usersets"');
    await queryRunner.query(
      'ALTER TABLE "relation_tuples" ALTER COLUMN "object_id" TYPE character varying(1024) COLLATE "default"',
    );
  }
}
