import type { MigrationInterface, QueryRunner } from 'typeorm';

export class EventConsumerPositions1796235329374 implements MigrationInterface {
  name = 'EventConsumerPositions1796235329374';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "event_consumer_positions" ("consumer" character varying(128) NOT NULL, "zone_key" uuid NOT NULL, "position" bigint NOT NULL DEFAULT \'0\', "failures" integer NOT NULL DEFAULT \'0\', "last_error" text, "retry_at" TIMESTAMP WITH TIME ZONE, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_79e9b183aa758b5803db4a09ced" PRIMARY KEY ("consumer", "zone_key"))',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "event_consumer_positions"');
  }
}
