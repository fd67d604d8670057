import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Workflows1796414660452 implements MigrationInterface {
  name = 'Workflows1796414660452';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"workflows\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"zone_id\" uuid NOT NULL, \"name\" character varying(200) NOT NULL, \"description\" character varying(2000), \"enabled\" boolean NOT NULL DEFAULT true, \"trigger\" jsonb NOT NULL, \"conditions\" jsonb, \"actions\" jsonb NOT NULL, \"allow_self_trigger\" boolean NOT NULL DEFAULT false, \"max_runs_per_minute\" integer NOT NULL DEFAULT '600', \"owner\" character varying(300) NOT NULL, \"paused_reason\" character varying(300), CONSTRAINT \"PK_5b5757cc1cd86268019fef52e0c\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"IDX_8cbd249d081ed1adafd53ba95d\" ON \"workflows\"  (\"zone_id\") ");
    await queryRunner.query("CREATE UNIQUE INDEX \"IDX_9c060df8d6d41b2a4128fba4f1\" ON \"workflows\"  (\"zone_id\", \"name\") ");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP INDEX \"public\".\"IDX_9c060df8d6d41b2a4128fba4f1\"");
    await queryRunner.query("DROP INDEX \"public\".\"IDX_8cbd249d081ed1adafd53ba95d\"");
    await queryRunner.query("DROP TABLE \"workflows\"");
  }
}
