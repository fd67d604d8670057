import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Initial1795304210598 implements MigrationInterface {
  name = 'Initial1795304210598';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "audit_log" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "zone_id" uuid, "actor_type" character varying(32), "actor_id" character varying(255), "action" character varying(128) NOT NULL, "resource_type" character varying(64), "resource_id" character varying(1024), "outcome" character varying(16) NOT NULL, "request_id" character varying(128), "details" jsonb NOT NULL DEFAULT \'{}\', CONSTRAINT "PK_07fefa57f7f5ab8fc3f52b3ed0b" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_901eaf87b08329ae0a30d2822b" ON "audit_log"  ("action", "occurred_at") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_71f373aead3a6d90627aa94a70" ON "audit_log"  ("zone_id", "occurred_at") ',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."IDX_71f373aead3a6d90627aa94a70"');
    await queryRunner.query('DROP INDEX "public"."IDX_901eaf87b08329ae0a30d2822b"');
    await queryRunner.query('DROP TABLE "audit_log"');
  }
}
