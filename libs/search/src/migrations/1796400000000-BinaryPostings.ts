import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Postings become binary runs (see posting-runs.ts) and hold grep's byte
 * trigrams too, replacing the GIN index over search_documents.trigrams (a GIN
 * insertion cost a tree update per trigram and was most of indexing's time).
 * The old postings cannot be converted in SQL: they are dropped and every
 * row's content hash is cleared, so the next `search.reindex` of each zone
 * rebuilds its content (names, metadata and tags stay searchable meanwhile).
 */
export class BinaryPostings1796400000000 implements MigrationInterface {
  name = 'BinaryPostings1796400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."IDX_search_documents_trigrams"');
    await queryRunner.query('ALTER TABLE "search_documents" DROP COLUMN "trigrams"');
    await queryRunner.query('DELETE FROM "search_postings"');
    await queryRunner.query('DELETE FROM "search_open_segments"');
    await queryRunner.query(`UPDATE "search_documents" SET "content_hash" = repeat('0', 64)`);
    for (const column of ['term_hashes', 'doc_nos', 'counts'])
      await queryRunner.query(`ALTER TABLE "search_postings" DROP COLUMN "${column}"`);
    await queryRunner.query('ALTER TABLE "search_postings" ADD "data" bytea NOT NULL');
    // Runs of random keys barely compress: stored as they are, which saves pglz's time both ways.
    await queryRunner.query('ALTER TABLE "search_postings" ALTER COLUMN "data" SET STORAGE EXTERNAL');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DELETE FROM "search_postings"');
    await queryRunner.query('DELETE FROM "search_open_segments"');
    await queryRunner.query(`UPDATE "search_documents" SET "content_hash" = repeat('0', 64)`);
    await queryRunner.query('ALTER TABLE "search_postings" DROP COLUMN "data"');
    await queryRunner.query('ALTER TABLE "search_postings" ADD "term_hashes" integer array NOT NULL');
    await queryRunner.query('ALTER TABLE "search_postings" ADD "doc_nos" bigint array NOT NULL');
    await queryRunner.query('ALTER TABLE "search_postings" ADD "counts" smallint array NOT NULL');
    for (const column of ['term_hashes', 'doc_nos', 'counts'])
      await queryRunner.query(`ALTER TABLE "search_postings" ALTER COLUMN "${column}" SET STORAGE EXTERNAL`);
    await queryRunner.query('ALTER TABLE "search_documents" ADD "trigrams" integer array');
    await queryRunner.query('ALTER TABLE "search_documents" ALTER COLUMN "trigrams" SET STORAGE EXTERNAL');
    await queryRunner.query(
      'CREATE INDEX "IDX_search_documents_trigrams" ON "search_documents" USING gin ("trigrams") WITH (fastupdate = on)',
    );
  }
}
