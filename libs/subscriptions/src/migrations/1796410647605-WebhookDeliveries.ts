import type { MigrationInterface, QueryRunner } from 'typeorm';

export class WebhookDeliveries1796410647605 implements MigrationInterface {
  name = 'WebhookDeliveries1796410647605';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"webhook_deliveries\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"zone_id\" uuid NOT NULL, \"subscription_id\" uuid NOT NULL, \"message_id\" character varying(40) NOT NULL, \"event_id\" uuid, \"event_type\" character varying(128) NOT NULL, \"event_position\" bigint, \"body\" text NOT NULL, \"status\" character varying(16) NOT NULL, \"attempts\" integer NOT NULL DEFAULT '0', \"response_status\" integer, \"latency_ms\" integer, \"last_error\" character varying(500), \"last_attempt_at\" TIMESTAMP WITH TIME ZONE, \"next_attempt_at\" TIMESTAMP WITH TIME ZONE, \"job_id\" uuid, CONSTRAINT \"UQ_35330ff895962f7bd8a46c18177\" UNIQUE (\"message_id\"), CONSTRAINT \"PK_535dd409947fb6d8fc6dfc0112a\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"IDX_91aca9f4fdb624b00698317110\" ON \"webhook_deliveries\"  (\"zone_id\") ");
    await queryRunner.query("CREATE INDEX \"IDX_5f6f442730b5f3cd18ca0bd851\" ON \"webhook_deliveries\"  (\"subscription_id\", \"event_position\") WHERE \"status\" IN ('pending', 'waiting')");
    await queryRunner.query("CREATE INDEX \"IDX_95c2164aeeb56e15fbdb8d73d0\" ON \"webhook_deliveries\"  (\"subscription_id\", \"created_at\") ");
    await queryRunner.query("CREATE UNIQUE INDEX \"IDX_4469674d7f56dd5ed422f64d54\" ON \"webhook_deliveries\"  (\"subscription_id\", \"event_id\") WHERE \"event_id\" IS NOT NULL");
    await queryRunner.query("ALTER TABLE \"webhook_subscriptions\" ADD \"last_delivery_at\" TIMESTAMP WITH TIME ZONE");
    await queryRunner.query("ALTER TABLE \"webhook_subscriptions\" ADD \"last_status\" character varying(16)");
    await queryRunner.query("ALTER TABLE \"webhook_subscriptions\" ADD \"consecutive_failures\" integer NOT NULL DEFAULT '0'");
    await queryRunner.query("ALTER TABLE \"webhook_subscriptions\" ADD \"failing_since\" TIMESTAMP WITH TIME ZONE");
    await queryRunner.query("ALTER TABLE \"webhook_subscriptions\" ADD \"succeeded_messages\" bigint NOT NULL DEFAULT '0'");
    await queryRunner.query("ALTER TABLE \"webhook_subscriptions\" ADD \"failed_messages\" bigint NOT NULL DEFAULT '0'");
    await queryRunner.query("ALTER TABLE \"webhook_subscriptions\" ADD \"disabled_reason\" character varying(300)");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE \"webhook_subscriptions\" DROP COLUMN \"disabled_reason\"");
    await queryRunner.query("ALTER TABLE \"webhook_subscriptions\" DROP COLUMN \"failed_messages\"");
    await queryRunner.query("ALTER TABLE \"webhook_subscriptions\" DROP COLUMN \"succeeded_messages\"");
    await queryRunner.query("ALTER TABLE \"webhook_subscriptions\" DROP COLUMN \"failing_since\"");
    await queryRunner.query("ALTER TABLE \"webhook_subscriptions\" DROP COLUMN \"consecutive_failures\"");
    await queryRunner.query("ALTER TABLE \"webhook_subscriptions\" DROP COLUMN \"last_status\"");
    await queryRunner.query("ALTER TABLE \"webhook_subscriptions\" DROP COLUMN \"last_delivery_at\"");
    await queryRunner.query("DROP INDEX \"public\".\"IDX_4469674d7f56dd5ed422f64d54\"");
    await queryRunner.query("DROP INDEX \"public\".\"IDX_95c2164aeeb56e15fbdb8d73d0\"");
    await queryRunner.query("DROP INDEX \"public\".\"IDX_5f6f442730b5f3cd18ca0bd851\"");
    await queryRunner.query("DROP INDEX \"public\".\"IDX_91aca9f4fdb624b00698317110\"");
    await queryRunner.query("DROP TABLE \"webhook_deliveries\"");
  }
}
