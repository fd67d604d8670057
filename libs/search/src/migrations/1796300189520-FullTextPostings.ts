import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Full-text postings (see SearchPosting, SearchOpenSegment) and the document number and length
 * they need. Rows indexed before this migration have no postings: their
 * content hash is cleared so the next `search.reindex` of the zone rebuilds them.
 */
export class FullTextPostings1796300189520 implements MigrationInterface {
  name = 'FullTextPostings1796300189520';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "search_postings" ("zone_id" uuid NOT NULL, "bucket" smallint NOT NULL, "segment_id" bigint NOT NULL, "term_hashes" integer array NOT NULL, "doc_nos" bigint array NOT NULL, "counts" smallint array NOT NULL, CONSTRAINT "PK_6be1f7261f9cc49890873d84261" PRIMARY KEY ("zone_id", "bucket", "segment_id"))',
    );
    // Read whole by every query of their terms: stored uncompressed, which saves pglz's time both ways.
    for (const column of ['term_hashes', 'doc_nos', 'counts'])
      await queryRunner.query(`ALTER TABLE "search_postings" ALTER COLUMN "${column}" SET STORAGE EXTERNAL`);
    await queryRunner.query(
      'CREATE TABLE "search_open_segments" ("zone_id" uuid NOT NULL, "segment_id" bigint NOT NULL, "entries" integer NOT NULL, "segments" integer NOT NULL DEFAULT \'0\', "added" bigint NOT NULL DEFAULT \'0\', "compacted" bigint NOT NULL DEFAULT \'0\', CONSTRAINT "PK_72683cf8871be2a27f31f4cfa62" PRIMARY KEY ("zone_id"))',
    );
    await queryRunner.query('CREATE SEQUENCE "search_doc_no_seq"');
    await queryRunner.query('CREATE SEQUENCE "search_segment_seq"');
    await queryRunner.query('ALTER TABLE "search_documents" ADD "doc_no" bigint');
    await queryRunner.query(
      `UPDATE "search_documents" SET "doc_no" = nextval('search_doc_no_seq'), "content_hash" = repeat('0', 64)`,
    );
    await queryRunner.query('ALTER TABLE "search_documents" ALTER COLUMN "doc_no" SET NOT NULL');
    await queryRunner.query('ALTER TABLE "search_documents" ADD "term_count" integer NOT NULL DEFAULT \'0\'');
    await queryRunner.query(
      'CREATE UNIQUE INDEX "UQ_search_documents_doc_no" ON "search_documents"  ("doc_no") ',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."UQ_search_documents_doc_no"');
    await queryRunner.query('ALTER TABLE "search_documents" DROP COLUMN "term_count"');
    await queryRunner.query('ALTER TABLE "search_documents" DROP COLUMN "doc_no"');
    await queryRunner.query('DROP SEQUENCE "search_segment_seq"');
    await queryRunner.query('DROP SEQUENCE "search_doc_no_seq"');
    await queryRunner.query('DROP TABLE "search_open_segments"');
    await queryRunner.query('DROP TABLE "search_postings"');
  }
}
