import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The age index filesystem.prune_operation_log reads old rows by (across zones). */
export class OperationLogRetentionIndex1796235957971 implements MigrationInterface {
  name = 'OperationLogRetentionIndex1796235957971';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE INDEX "IDX_1012ce7a568947196069207190" ON "operation_log"  ("created_at") ',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."IDX_1012ce7a568947196069207190"');
  }
}
