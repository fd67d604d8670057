import type { MigrationInterface, QueryRunner } from 'typeorm';

/** One row: this database's deployment id (namespaces its Redis queues, counters and channels). */
export class DeploymentIdentity1796214919020 implements MigrationInterface {
  name = 'DeploymentIdentity1796214919020';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "deployment_identity" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), ' +
        '"singleton" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), ' +
        'CONSTRAINT "PK_deployment_identity" PRIMARY KEY ("id"), ' +
        'CONSTRAINT "UQ_deployment_identity_singleton" UNIQUE ("singleton"), ' +
        'CONSTRAINT "CHK_deployment_identity_singleton" CHECK ("singleton"))',
    );
    await queryRunner.query('INSERT INTO "deployment_identity" DEFAULT VALUES');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "deployment_identity"');
  }
}
