import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Age indexes for the retention jobs (events.prune_events, system.prune_audit_log). */
export class RetentionIndexes1796235957970 implements MigrationInterface {
  name = 'RetentionIndexes1796235957970';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE INDEX "IDX_9ab67a467c6969ee1cf92f2c34" ON "audit_log"  ("occurred_at") ');
    await queryRunner.query(
      'CREATE INDEX "IDX_803636fbc7a6b88c233052bd4c" ON "outbox_events"  ("zone_key", "occurred_at") ',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."IDX_803636fbc7a6b88c233052bd4c"');
    await queryRunner.query('DROP INDEX "public"."IDX_9ab67a467c6969ee1cf92f2c34"');
  }
}
