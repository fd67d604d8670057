import type { MigrationInterface, QueryRunner } from 'typeorm';

/** search_documents: one row per live file of every zone (see SearchDocument). */
export class SearchTables1796283750532 implements MigrationInterface {
  name = 'SearchTables1796283750532';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "search_documents" ("id" uuid NOT NULL, "zone_id" uuid NOT NULL, "path" text COLLATE "C" NOT NULL, "version" integer NOT NULL, "content_hash" character(64) NOT NULL, "size" bigint NOT NULL, "mime_type" character varying(255), "content_kind" character varying(8) NOT NULL, "metadata" jsonb NOT NULL DEFAULT \'{}\', "tags" text array NOT NULL DEFAULT \'{}\', "trigrams" integer array, "indexed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_bc42b02dc01b44241830f638cf6" PRIMARY KEY ("id"))',
    );
    // Sorted int arrays barely compress: storing them as they are saves pglz's time on every write.
    await queryRunner.query('ALTER TABLE "search_documents" ALTER COLUMN "trigrams" SET STORAGE EXTERNAL');
    // fastupdate: a write's thousands of trigram keys go to the pending list, merged in bulk
    // (without it indexing is ten times slower).
    await queryRunner.query(
      'CREATE INDEX "IDX_search_documents_trigrams" ON "search_documents" USING gin ("trigrams") WITH (fastupdate = on)',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_search_documents_zone_path" ON "search_documents"  ("zone_id", "path") ',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."IDX_search_documents_zone_path"');
    await queryRunner.query('DROP INDEX "public"."IDX_search_documents_trigrams"');
    await queryRunner.query('DROP TABLE "search_documents"');
  }
}
