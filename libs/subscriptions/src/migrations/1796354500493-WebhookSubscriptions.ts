import type { MigrationInterface, QueryRunner } from 'typeorm';

export class WebhookSubscriptions1796354500493 implements MigrationInterface {
  name = 'WebhookSubscriptions1796354500493';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "webhook_subscriptions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "zone_id" uuid NOT NULL, "url" text NOT NULL, "event_types" text array NOT NULL, "patterns" text array NOT NULL, "name" character varying(200), "description" character varying(2000), "enabled" boolean NOT NULL DEFAULT true, "ordered" boolean NOT NULL DEFAULT false, "secret_sealed" bytea NOT NULL, "previous_secret_sealed" bytea, "previous_secret_expires_at" TIMESTAMP WITH TIME ZONE, "created_by" text NOT NULL, CONSTRAINT "PK_bf631ae77d39849d599817fb6f4" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_12f8b7ebef919b94239ae10454" ON "webhook_subscriptions"  ("zone_id") ',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."IDX_12f8b7ebef919b94239ae10454"');
    await queryRunner.query('DROP TABLE "webhook_subscriptions"');
  }
}
