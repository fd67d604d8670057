import type { MigrationInterface, QueryRunner } from 'typeorm';

export class OutboxEvents1796220810313 implements MigrationInterface {
  name = 'OutboxEvents1796220810313';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "outbox_events" ("sequence" BIGSERIAL NOT NULL, "event_id" uuid NOT NULL, "type" character varying(64) NOT NULL, "zone_id" uuid, "aggregate_type" character varying(64) NOT NULL, "aggregate_id" character varying(255) NOT NULL, "actor_type" character varying(32), "actor_id" character varying(255), "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, "revision" bigint, "payload" jsonb NOT NULL, "causation_id" uuid, "correlation_id" character varying(128), CONSTRAINT "UQ_a82c439f9dab57e098be1d83291" UNIQUE ("event_id"), CONSTRAINT "PK_fc12d2ed25d954ff240ca86231e" PRIMARY KEY ("sequence"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_b057d525df2913654e3075f91a" ON "outbox_events"  ("zone_id", "sequence") ',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."IDX_b057d525df2913654e3075f91a"');
    await queryRunner.query('DROP TABLE "outbox_events"');
  }
}
