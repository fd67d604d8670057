import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AuthTables1795306269937 implements MigrationInterface {
  name = 'AuthTables1795306269937';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "api_keys" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "zone_id" uuid NOT NULL, "name" character varying(200) NOT NULL, "key_hash" character(64) NOT NULL, "key_prefix" character varying(96) NOT NULL, "subject_type" character varying(16) NOT NULL, "subject_id" character varying(255) NOT NULL, "role" character varying(16) NOT NULL, "superuser" boolean NOT NULL DEFAULT false, "bootstrap" boolean NOT NULL DEFAULT false, "expires_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, "last_used_at" TIMESTAMP WITH TIME ZONE, "rate_limit_per_minute" integer, "created_by" character varying(255), CONSTRAINT "PK_5c8a79801b44bd27b79228e1dad" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "IDX_2757a5edfa3a9edee242cbf47b" ON "api_keys"  ("zone_id") ');
    await queryRunner.query(
      'CREATE UNIQUE INDEX "IDX_57384430aa1959f4578046c9b8" ON "api_keys"  ("key_hash") ',
    );
    await queryRunner.query(
      'CREATE TABLE "zones" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "name" character varying(63) NOT NULL, "settings" jsonb NOT NULL DEFAULT \'{}\', CONSTRAINT "PK_880484a43ca311707b05895bd4a" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE UNIQUE INDEX "IDX_4f5b05ffd4b4daee685dea35ed" ON "zones"  ("name") ');
    await queryRunner.query(
      'CREATE TABLE "users" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "zone_id" uuid NOT NULL, "email" character varying(320) NOT NULL, "email_normalized" character varying(320) NOT NULL, "display_name" character varying(200) NOT NULL, "disabled" boolean NOT NULL DEFAULT false, CONSTRAINT "PK_a3ffb1c0c8416b9fc6f907b7433" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "IDX_31def451399d7c949d9fd2bae8" ON "users"  ("zone_id") ');
    await queryRunner.query(
      'CREATE UNIQUE INDEX "IDX_6304971cec23a16a7cec64efdc" ON "users"  ("zone_id", "email_normalized") ',
    );
    await queryRunner.query(
      'CREATE TABLE "oauth_credentials" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "zone_id" uuid NOT NULL, "owner_subject_type" character varying(16) NOT NULL, "owner_subject_id" character varying(255) NOT NULL, "provider" character varying(64) NOT NULL, "account_id" character varying(255) NOT NULL, "scopes" jsonb NOT NULL DEFAULT \'[]\', "expires_at" TIMESTAMP WITH TIME ZONE, "access_token_ciphertext" bytea NOT NULL, "refresh_token_ciphertext" bytea, CONSTRAINT "PK_3d22936311700e5d316d1c9bfc4" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_c965381b08e7c84a347529fc71" ON "oauth_credentials"  ("zone_id") ',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "IDX_d68096bc6b2c51c2bc3f71fd56" ON "oauth_credentials"  ("zone_id", "owner_subject_type", "owner_subject_id", "provider", "account_id") ',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."IDX_d68096bc6b2c51c2bc3f71fd56"');
    await queryRunner.query('DROP INDEX "public"."IDX_c965381b08e7c84a347529fc71"');
    await queryRunner.query('DROP TABLE "oauth_credentials"');
    await queryRunner.query('DROP INDEX "public"."IDX_6304971cec23a16a7cec64efdc"');
    await queryRunner.query('DROP INDEX "public"."IDX_31def451399d7c949d9fd2bae8"');
    await queryRunner.query('DROP TABLE "users"');
    await queryRunner.query('DROP INDEX "public"."IDX_4f5b05ffd4b4daee685dea35ed"');
    await queryRunner.query('DROP TABLE "zones"');
    await queryRunner.query('DROP INDEX "public"."IDX_57384430aa1959f4578046c9b8"');
    await queryRunner.query('DROP INDEX "public"."IDX_2757a5edfa3a9edee242cbf47b"');
    await queryRunner.query('DROP TABLE "api_keys"');
  }
}
