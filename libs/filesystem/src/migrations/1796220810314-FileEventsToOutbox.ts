import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The filesystem's own event table gives way to the platform's outbox: its rows move over, in order. */
export class FileEventsToOutbox1796220810314 implements MigrationInterface {
  name = 'FileEventsToOutbox1796220810314';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      INSERT INTO "outbox_events" ("event_id", "type", "zone_id", "aggregate_type", "aggregate_id", "actor_type",
                                   "actor_id", "occurred_at", "revision", "payload", "causation_id", "correlation_id")
      SELECT "event_id", "type", "zone_id", 'file', COALESCE("payload"->>'id', "path"),
             NULLIF(split_part("actor", ':', 1), ''), NULLIF(substr("actor", strpos("actor", ':') + 1), ''),
             "occurred_at", NULL, "payload", NULL, "request_id"
        FROM "file_events" ORDER BY "sequence"`);
    await queryRunner.query('DROP TABLE "file_events"');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "file_events" ("zone_id" uuid NOT NULL, "sequence" BIGSERIAL NOT NULL, "event_id" uuid NOT NULL, "type" character varying(32) NOT NULL, "path" text NOT NULL, "actor" character varying(300), "request_id" character varying(128), "payload" jsonb NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, "published_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "UQ_04b4c94b7346bb29d32eb00c0d6" UNIQUE ("event_id"), CONSTRAINT "PK_283a52bfb20b780d326cc5dac2a" PRIMARY KEY ("sequence"))',
    );
    await queryRunner.query('CREATE INDEX "IDX_ef5125faf6449c9454308adb2c" ON "file_events"  ("zone_id") ');
    await queryRunner.query(
      'CREATE INDEX "IDX_49b5c06fe30940442c25f6f4dc" ON "file_events"  ("sequence") WHERE "published_at" IS NULL',
    );
    await queryRunner.query(`
      INSERT INTO "file_events" ("zone_id", "event_id", "type", "path", "actor", "request_id", "payload", "occurred_at")
      SELECT "zone_id", "event_id", "type", COALESCE("payload"->>'path', ''), "actor_type" || ':' || "actor_id",
             "correlation_id", "payload", "occurred_at"
        FROM "outbox_events" WHERE "aggregate_type" = 'file' ORDER BY "sequence"`);
    await queryRunner.query(`DELETE FROM "outbox_events" WHERE "aggregate_type" = 'file'`);
  }
}
