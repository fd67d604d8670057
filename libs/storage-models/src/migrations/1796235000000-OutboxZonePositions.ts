import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Events get a gapless, commit-ordered position per zone (and a causation
 * depth); the positions handed out so far live in outbox_zone_positions.
 * Existing events are numbered in their append order.
 */
export class OutboxZonePositions1796235000000 implements MigrationInterface {
  name = 'OutboxZonePositions1796235000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "outbox_zone_positions" ("zone_key" uuid NOT NULL, "position" bigint NOT NULL, CONSTRAINT "PK_outbox_zone_positions" PRIMARY KEY ("zone_key"))',
    );
    await queryRunner.query(
      'ALTER TABLE "outbox_events" ADD "zone_key" uuid, ADD "zone_position" bigint, ADD "causation_depth" integer NOT NULL DEFAULT \'0\'',
    );
    await queryRunner.query(`
      UPDATE "outbox_events" AS e SET "zone_key" = n."zone_key", "zone_position" = n."position"
        FROM (SELECT "sequence", COALESCE("zone_id", '00000000-0000-0000-0000-000000000000') AS "zone_key",
                     row_number() OVER (PARTITION BY "zone_id" ORDER BY "sequence") AS "position"
                FROM "outbox_events") AS n
       WHERE e."sequence" = n."sequence"`);
    await queryRunner.query(`
      INSERT INTO "outbox_zone_positions" ("zone_key", "position")
      SELECT "zone_key", max("zone_position") FROM "outbox_events" GROUP BY "zone_key"`);
    await queryRunner.query(
      'ALTER TABLE "outbox_events" ALTER COLUMN "zone_key" SET NOT NULL, ALTER COLUMN "zone_position" SET NOT NULL',
    );
    await queryRunner.query('DROP INDEX "public"."IDX_b057d525df2913654e3075f91a"');
    await queryRunner.query(
      'CREATE UNIQUE INDEX "IDX_149d77a9815e527b1047b7bb2e" ON "outbox_events" ("zone_key", "zone_position") ',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."IDX_149d77a9815e527b1047b7bb2e"');
    await queryRunner.query(
      'CREATE INDEX "IDX_b057d525df2913654e3075f91a" ON "outbox_events"  ("zone_id", "sequence") ',
    );
    await queryRunner.query(
      'ALTER TABLE "outbox_events" DROP COLUMN "causation_depth", DROP COLUMN "zone_position", DROP COLUMN "zone_key"',
    );
    await queryRunner.query('DROP TABLE "outbox_zone_positions"');
  }
}
