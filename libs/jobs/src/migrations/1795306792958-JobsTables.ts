import type { MigrationInterface, QueryRunner } from 'typeorm';

export class JobsTables1795306792958 implements MigrationInterface {
  name = 'JobsTables1795306792958';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"jobs\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"zone_id\" uuid NOT NULL, \"type\" character varying(128) NOT NULL, \"payload\" jsonb NOT NULL DEFAULT '{}', \"status\" character varying(16) NOT NULL DEFAULT 'queued', \"attempt_count\" integer NOT NULL DEFAULT '0', \"max_attempts\" integer NOT NULL DEFAULT '3', \"next_run_at\" TIMESTAMP WITH TIME ZONE NOT NULL, \"lease_owner\" character varying(255), \"lease_expires_at\" TIMESTAMP WITH TIME ZONE, \"last_error\" text, \"result\" jsonb, \"idempotency_key\" character varying(255), \"created_by\" character varying(300) NOT NULL, \"started_at\" TIMESTAMP WITH TIME ZONE, \"finished_at\" TIMESTAMP WITH TIME ZONE, \"dispatched_at\" TIMESTAMP WITH TIME ZONE, CONSTRAINT \"PK_cf0a6c42b72fcc7f7c237def345\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"IDX_3b6f0a9df25aab354d8e5ce667\" ON \"jobs\"  (\"zone_id\") ");
    await queryRunner.query("CREATE UNIQUE INDEX \"IDX_898cee16a153a8f253b8b3ac70\" ON \"jobs\"  (\"zone_id\", \"idempotency_key\") WHERE \"idempotency_key\" IS NOT NULL");
    await queryRunner.query("CREATE INDEX \"IDX_a340ccdfb4e6b91e1d161c489d\" ON \"jobs\"  (\"zone_id\", \"created_at\") ");
    await queryRunner.query("CREATE INDEX \"IDX_a9ac68aae7dc8843dc25aea58b\" ON \"jobs\"  (\"status\", \"next_run_at\") ");
    await queryRunner.query("CREATE TABLE \"job_artifacts\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"job_id\" uuid NOT NULL, \"kind\" character varying(64) NOT NULL, \"name\" character varying(255) NOT NULL, \"data\" jsonb, \"reference\" character varying(2048), CONSTRAINT \"PK_9068cb5eef4aa5559dc3b33a82c\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE UNIQUE INDEX \"IDX_929bb1c2fff6d2d4cff4d93299\" ON \"job_artifacts\"  (\"job_id\", \"kind\", \"name\") ");
    await queryRunner.query("CREATE TABLE \"worker_heartbeats\" (\"worker_id\" character varying(255) NOT NULL, \"hostname\" character varying(255) NOT NULL, \"pid\" integer NOT NULL, \"state\" character varying(16) NOT NULL, \"concurrency\" integer NOT NULL, \"active_jobs\" integer NOT NULL DEFAULT '0', \"jobs_processed\" integer NOT NULL DEFAULT '0', \"started_at\" TIMESTAMP WITH TIME ZONE NOT NULL, \"last_seen_at\" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT \"PK_35082e5e316be8465333d9c09d8\" PRIMARY KEY (\"worker_id\"))");
    await queryRunner.query("CREATE INDEX \"IDX_f5433223a7a0fb5924f79bdc51\" ON \"worker_heartbeats\"  (\"last_seen_at\") ");
    await queryRunner.query("ALTER TABLE \"job_artifacts\" ADD CONSTRAINT \"FK_3ebc279671277becf665a361266\" FOREIGN KEY (\"job_id\") REFERENCES \"jobs\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE \"job_artifacts\" DROP CONSTRAINT \"FK_3ebc279671277becf665a361266\"");
    await queryRunner.query("DROP INDEX \"public\".\"IDX_f5433223a7a0fb5924f79bdc51\"");
    await queryRunner.query("DROP TABLE \"worker_heartbeats\"");
    await queryRunner.query("DROP INDEX \"public\".\"IDX_929bb1c2fff6d2d4cff4d93299\"");
    await queryRunner.query("DROP TABLE \"job_artifacts\"");
    await queryRunner.query("DROP INDEX \"public\".\"IDX_a9ac68aae7dc8843dc25aea58b\"");
    await queryRunner.query("DROP INDEX \"public\".\"IDX_a340ccdfb4e6b91e1d161c489d\"");
    await queryRunner.query("DROP INDEX \"public\".\"IDX_898cee16a153a8f253b8b3ac70\"");
    await queryRunner.query("DROP INDEX \"public\".\"IDX_3b6f0a9df25aab354d8e5ce667\"");
    await queryRunner.query("DROP TABLE \"jobs\"");
  }
}
