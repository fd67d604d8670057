import type { MigrationInterface, QueryRunner } from 'typeorm';

export class JobProgress1796283566040 implements MigrationInterface {
  name = 'JobProgress1796283566040';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "jobs" ADD "progress" jsonb');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "jobs" DROP COLUMN "progress"');
  }
}
