import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The age index subscriptions.prune_deliveries reads old finished deliveries by (across zones). */
export class WebhookDeliveryRetention1796412734212 implements MigrationInterface {
  name = 'WebhookDeliveryRetention1796412734212';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE INDEX "IDX_103f15a825f83969aa935d3edb" ON "webhook_deliveries"  ("updated_at") WHERE "status" IN (\'succeeded\', \'failed\', \'skipped\')',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."IDX_103f15a825f83969aa935d3edb"');
  }
}
