import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * search_embeddings: one vector per live text file for hybrid ranking (see
 * SearchEmbedding). Vectors are float32 bytes (no vector extension is
 * available); EXTERNAL storage skips pglz, which cannot shrink floats and
 * would cost time on every row of a query's scan. Existing zones fill in as
 * files change or on their next `search.reindex` (when a provider is configured).
 */
export class SearchEmbeddings1796450000000 implements MigrationInterface {
  name = 'SearchEmbeddings1796450000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "search_embeddings" ("id" uuid NOT NULL, "zone_id" uuid NOT NULL, "content_hash" character(64) NOT NULL, "model" character varying(200) NOT NULL, "dimensions" integer NOT NULL, "vector" bytea NOT NULL, "embedded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_eb4cc1ff36fb33e43c87e66f0cb" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('ALTER TABLE "search_embeddings" ALTER COLUMN "vector" SET STORAGE EXTERNAL');
    await queryRunner.query(
      'CREATE INDEX "IDX_search_embeddings_zone" ON "search_embeddings" ("zone_id", "id")',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."IDX_search_embeddings_zone"');
    await queryRunner.query('DROP TABLE "search_embeddings"');
  }
}
