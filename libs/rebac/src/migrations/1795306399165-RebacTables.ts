import type { MigrationInterface, QueryRunner } from 'typeorm';

export class RebacTables1795306399165 implements MigrationInterface {
  name = 'RebacTables1795306399165';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "rebac_changes" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "zone_id" uuid NOT NULL, "operation" character varying(8) NOT NULL, "object_type" character varying(128) NOT NULL, "object_id" character varying(1024) NOT NULL, "relation" character varying(128) NOT NULL, "subject_type" character varying(128) NOT NULL, "subject_id" character varying(1024) NOT NULL, "subject_relation" character varying(128) NOT NULL DEFAULT \'\', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_cdf906faadc99036edd60dcc81f" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "IDX_aee94ce8cc579cc1f29d101f4d" ON "rebac_changes"  ("zone_id") ');
    await queryRunner.query(
      'CREATE INDEX "IDX_00acbce211487a14eaec805fb9" ON "rebac_changes"  ("zone_id", "id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "rebac_models" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "zone_id" uuid NOT NULL, "version" integer NOT NULL, "schema_version" character varying(8) NOT NULL, "model" jsonb NOT NULL, CONSTRAINT "PK_4fff7850007bfdf090e2f6fe6a6" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "IDX_166a1b783807658c79fc08e686" ON "rebac_models"  ("zone_id") ');
    await queryRunner.query(
      'CREATE UNIQUE INDEX "IDX_f31511391489993b8b9bb2380f" ON "rebac_models"  ("zone_id", "version") ',
    );
    await queryRunner.query(
      'CREATE TABLE "relation_tuples" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "zone_id" uuid NOT NULL, "object_type" character varying(128) NOT NULL, "object_id" character varying(1024) NOT NULL, "relation" character varying(128) NOT NULL, "subject_type" character varying(128) NOT NULL, "subject_id" character varying(1024) NOT NULL, "subject_relation" character varying(128) NOT NULL DEFAULT \'\', CONSTRAINT "PK_e19c82f515934b90975cfcd84db" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_2e19ccf55182042dc3ed57d728" ON "relation_tuples"  ("zone_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_c670ac1e6a2d468b6062e0d7f6" ON "relation_tuples"  ("zone_id", "subject_type", "subject_id", "subject_relation") ',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "IDX_b31292c1849c5ac470dc313173" ON "relation_tuples"  ("zone_id", "object_type", "object_id", "relation", "subject_type", "subject_id", "subject_relation") ',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."IDX_b31292c1849c5ac470dc313173"');
    await queryRunner.query('DROP INDEX "public"."IDX_c670ac1e6a2d468b6062e0d7f6"');
    await queryRunner.query('DROP INDEX "public"."IDX_2e19ccf55182042dc3ed57d728"');
    await queryRunner.query('DROP TABLE "relation_tuples"');
    await queryRunner.query('DROP INDEX "public"."IDX_f31511391489993b8b9bb2380f"');
    await queryRunner.query('DROP INDEX "public"."IDX_166a1b783807658c79fc08e686"');
    await queryRunner.query('DROP TABLE "rebac_models"');
    await queryRunner.query('DROP INDEX "public"."IDX_00acbce211487a14eaec805fb9"');
    await queryRunner.query('DROP INDEX "public"."IDX_aee94ce8cc579cc1f29d101f4d"');
    await queryRunner.query('DROP TABLE "rebac_changes"');
  }
}
