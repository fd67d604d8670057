import type { MigrationInterface, QueryRunner } from 'typeorm';

export class FileMetadataAndTags1796283220151 implements MigrationInterface {
  name = 'FileMetadataAndTags1796283220151';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "file_paths" ADD "metadata" jsonb NOT NULL DEFAULT \'{}\'::jsonb');
    await queryRunner.query('ALTER TABLE "file_paths" ADD "tags" text array NOT NULL DEFAULT \'{}\'::text[]');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "file_paths" DROP COLUMN "tags"');
    await queryRunner.query('ALTER TABLE "file_paths" DROP COLUMN "metadata"');
  }
}
