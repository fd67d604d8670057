import { Injectable, Module } from '@nestjs/common';
import { createDomainEvent, defineDomain, defineEventConsumer, defineJobType } from '@nexus/core';
import type { DeliveredEvent, EventBatch, EventConsumer } from '@nexus/core';
import { JobHandler } from '@nexus/jobs';
import type { JobContext, JobHandlerContract, JobOutcome } from '@nexus/jobs';
import { TypeOrmOutbox, UuidEntity, ZoneScoped } from '@nexus/storage-models';
import { IsString, MaxLength } from 'class-validator';
import type { EntityManager, MigrationInterface, QueryRunner } from 'typeorm';
import { Column, DataSource, Entity } from 'typeorm';

/*
 * A throwaway domain, declared the way a real one is (entity, migration, job
 * type, event type, event consumer, worker module) and known to nothing outside this file: the
 * registration test mounts it in a test app next to the worker's own domains.
 */

@Entity('test_notes')
export class Note extends ZoneScoped(UuidEntity) {
  @Column({ type: 'varchar', length: 200 })
  text: string;
}

export class NotesTables1999999999000 implements MigrationInterface {
  name = 'NotesTables1999999999000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "test_notes" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "zone_id" uuid NOT NULL, "text" character varying(200) NOT NULL, CONSTRAINT "PK_test_notes" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "IDX_9f851f1f3973b16256fecb03a3" ON "test_notes" ("zone_id")');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "test_notes"');
  }
}

export class WriteNotePayload {
  @IsString()
  @MaxLength(200)
  text: string;
}

export const WRITE_NOTE_JOB = defineJobType({
  type: 'notes.write',
  payload: WriteNotePayload,
  summary: 'Writes a note and its note_written event',
});

/** Writes the note and its event in one transaction, through the shared outbox. */
@Injectable()
@JobHandler(WRITE_NOTE_JOB)
export class WriteNoteHandler implements JobHandlerContract<WriteNotePayload> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: TypeOrmOutbox,
  ) {}

  async handle(payload: WriteNotePayload, context: JobContext): Promise<JobOutcome> {
    const id = await this.dataSource.transaction(async (manager) => {
      const note = await manager.save(manager.create(Note, { zoneId: context.zoneId, text: payload.text }));
      await this.outbox.append(manager, [
        createDomainEvent({
          type: 'note_written',
          zoneId: context.zoneId,
          aggregateType: 'note',
          aggregateId: note.id,
          actor: { type: 'agent', id: context.createdBy },
          revision: null,
          payload: { text: payload.text },
          causationId: null,
          correlationId: context.jobId,
        }),
      ]);
      return note.id;
    });
    return { status: 'succeeded', result: { noteId: id } };
  }
}

/** Keeps the note_written events the relay hands it, for the test to read. */
@Injectable()
export class SeenNotesConsumer implements EventConsumer<EntityManager> {
  readonly seen: DeliveredEvent[] = [];

  async handle(batch: EventBatch<EntityManager>): Promise<void> {
    this.seen.push(...batch.events);
  }
}

@Module({ providers: [WriteNoteHandler, SeenNotesConsumer] })
class NotesWorkerModule {}

export const NOTES_DOMAIN = defineDomain({
  name: 'notes',
  entities: [Note],
  migrations: [NotesTables1999999999000],
  jobTypes: [WRITE_NOTE_JOB],
  eventTypes: ['note_written'],
  eventConsumers: [
    defineEventConsumer({
      name: 'notes.seen',
      eventTypes: ['note_written'],
      handler: SeenNotesConsumer,
      summary: 'Keeps the notes written, in memory',
    }),
  ],
  workerModule: () => NotesWorkerModule,
});
