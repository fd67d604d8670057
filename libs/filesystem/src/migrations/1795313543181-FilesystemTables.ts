import type { MigrationInterface, QueryRunner } from 'typeorm';

export class FilesystemTables1795313543181 implements MigrationInterface {
  name = 'FilesystemTables1795313543181';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"file_paths\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"zone_id\" uuid NOT NULL, \"deleted_at\" TIMESTAMP WITH TIME ZONE, \"path\" text COLLATE \"C\" NOT NULL, \"parent_path\" text COLLATE \"C\" NOT NULL, \"name\" text COLLATE \"C\" NOT NULL, \"kind\" character varying(8) NOT NULL, \"size\" bigint NOT NULL DEFAULT '0', \"content_hash\" character(64), \"mime_type\" character varying(255), \"version\" integer NOT NULL DEFAULT '0', \"etag\" character varying(100), \"owner\" character varying(300) NOT NULL, CONSTRAINT \"PK_f1dcc83a10f52acfa24b4cbad24\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"IDX_145ff7c009dd93fa841810c0d6\" ON \"file_paths\"  (\"zone_id\") ");
    await queryRunner.query("CREATE INDEX \"IDX_68fa08c400eacabec0ee2f7e3d\" ON \"file_paths\"  (\"zone_id\", \"parent_path\", \"name\") WHERE \"deleted_at\" IS NULL");
    await queryRunner.query("CREATE UNIQUE INDEX \"IDX_fd659ed19b954361afb3b8b41d\" ON \"file_paths\"  (\"zone_id\", \"path\") WHERE \"deleted_at\" IS NULL");
    await queryRunner.query("CREATE TABLE \"file_versions\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"zone_id\" uuid NOT NULL, \"path_id\" uuid NOT NULL, \"version\" integer NOT NULL, \"content_hash\" character(64) NOT NULL, \"size\" bigint NOT NULL, \"mime_type\" character varying(255), \"author\" character varying(300) NOT NULL, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_caca394bb05012a3d17c1d8b336\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"IDX_d373cae251139b2d13ee0aebac\" ON \"file_versions\"  (\"zone_id\") ");
    await queryRunner.query("CREATE UNIQUE INDEX \"IDX_9ac62041d38e5ac32649ef6b7d\" ON \"file_versions\"  (\"path_id\", \"version\") ");
    await queryRunner.query("CREATE TABLE \"content_blobs\" (\"hash\" character(64) NOT NULL, \"size\" bigint NOT NULL, \"ref_count\" integer NOT NULL DEFAULT '0', \"stored_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"unreferenced_since\" TIMESTAMP WITH TIME ZONE, CONSTRAINT \"PK_0d01fcafa147e8f60f51dcb9f1f\" PRIMARY KEY (\"hash\"))");
    await queryRunner.query("CREATE INDEX \"IDX_e857589e3e391526fcb9e2d70a\" ON \"content_blobs\"  (\"unreferenced_since\") WHERE \"ref_count\" = 0");
    await queryRunner.query("CREATE TABLE \"operation_log\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"zone_id\" uuid NOT NULL, \"actor\" character varying(300) NOT NULL, \"op\" character varying(16) NOT NULL, \"path\" text NOT NULL, \"from_path\" text, \"result\" character varying(16) NOT NULL DEFAULT 'ok', \"revision\" bigint, \"details\" jsonb, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_2115426c3f66dd38e22ea683b12\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"IDX_69dff1758cd6f7c1a38d77209a\" ON \"operation_log\"  (\"zone_id\") ");
    await queryRunner.query("CREATE INDEX \"IDX_94742d6ba6243ae94cdcc41f28\" ON \"operation_log\"  (\"zone_id\", \"created_at\") ");
    await queryRunner.query("CREATE TABLE \"file_events\" (\"zone_id\" uuid NOT NULL, \"sequence\" BIGSERIAL NOT NULL, \"event_id\" uuid NOT NULL, \"type\" character varying(32) NOT NULL, \"path\" text NOT NULL, \"actor\" character varying(300), \"request_id\" character varying(128), \"payload\" jsonb NOT NULL, \"occurred_at\" TIMESTAMP WITH TIME ZONE NOT NULL, \"published_at\" TIMESTAMP WITH TIME ZONE, CONSTRAINT \"UQ_04b4c94b7346bb29d32eb00c0d6\" UNIQUE (\"event_id\"), CONSTRAINT \"PK_283a52bfb20b780d326cc5dac2a\" PRIMARY KEY (\"sequence\"))");
    await queryRunner.query("CREATE INDEX \"IDX_ef5125faf6449c9454308adb2c\" ON \"file_events\"  (\"zone_id\") ");
    await queryRunner.query("CREATE INDEX \"IDX_49b5c06fe30940442c25f6f4dc\" ON \"file_events\"  (\"sequence\") WHERE \"published_at\" IS NULL");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP INDEX \"public\".\"IDX_49b5c06fe30940442c25f6f4dc\"");
    await queryRunner.query("DROP INDEX \"public\".\"IDX_ef5125faf6449c9454308adb2c\"");
    await queryRunner.query("DROP TABLE \"file_events\"");
    await queryRunner.query("DROP INDEX \"public\".\"IDX_94742d6ba6243ae94cdcc41f28\"");
    await queryRunner.query("DROP INDEX \"public\".\"IDX_69dff1758cd6f7c1a38d77209a\"");
    await queryRunner.query("DROP TABLE \"operation_log\"");
    await queryRunner.query("DROP INDEX \"public\".\"IDX_e857589e3e391526fcb9e2d70a\"");
    await queryRunner.query("DROP TABLE \"content_blobs\"");
    await queryRunner.query("DROP INDEX \"public\".\"IDX_9ac62041d38e5ac32649ef6b7d\"");
    await queryRunner.query("DROP INDEX \"public\".\"IDX_d373cae251139b2d13ee0aebac\"");
    await queryRunner.query("DROP TABLE \"file_versions\"");
    await queryRunner.query("DROP INDEX \"public\".\"IDX_fd659ed19b954361afb3b8b41d\"");
    await queryRunner.query("DROP INDEX \"public\".\"IDX_68fa08c400eacabec0ee2f7e3d\"");
    await queryRunner.query("DROP INDEX \"public\".\"IDX_145ff7c009dd93fa841810c0d6\"");
    await queryRunner.query("DROP TABLE \"file_paths\"");
  }
}
