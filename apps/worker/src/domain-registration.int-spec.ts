import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DomainError, WorkerConfig, composeDomains, loadConfig } from '@nexus/core';
import { JobSubmitter } from '@nexus/jobs';
import { dropQueue, eventually } from '@nexus/jobs/testing';
import { TypeOrmOutbox, pendingSchemaChanges } from '@nexus/storage-models';
import { createTestDatabase } from '@nexus/storage-models/testing';
import type { TestDatabase } from '@nexus/storage-models/testing';
import { DataSource } from 'typeorm';
import { WORKER_DOMAINS } from './domains';
import { NOTES_DOMAIN, Note, SeenNotesConsumer, WRITE_NOTE_JOB } from './testing/notes-domain';
import { WorkerModule } from './worker.module';

jest.setTimeout(60_000);

/**
 * Adding a domain is one library plus one line per app: the throwaway `notes`
 * domain (testing/notes-domain.ts) is added to the worker's list here, and its
 * table, migration, job type, handler, event type and event consumer all
 * register with no edit anywhere else.
 */
describe('a domain registers itself', () => {
  const domains = composeDomains([...WORKER_DOMAINS.domains, NOTES_DOMAIN]);
  let database: TestDatabase;
  let dataDir: string;
  let config: WorkerConfig;
  let worker: INestApplicationContext;
  let dataSource: DataSource;
  const zoneId = randomUUID();

  beforeAll(async () => {
    database = await createTestDatabase('nexus_domain_registration');
    dataDir = await mkdtemp(join(tmpdir(), 'nexus-domain-registration-'));
    config = loadConfig(WorkerConfig, {
      DATABASE_URL: database.url,
      NEXUS_DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      NEXUS_JOBS_QUEUE: `test-domain-registration-${randomBytes(4).toString('hex')}`,
      NEXUS_JOB_RETENTION_DAYS: '0',
    });
    const workerId = `test-${randomBytes(4).toString('hex')}`;
    worker = await NestFactory.createApplicationContext(
      WorkerModule.forRoot(config, { workerId, concurrency: 2, jobBudget: null }, domains),
      { logger: false, abortOnError: false },
    );
    await worker.init();
    dataSource = worker.get(DataSource);
  });

  afterAll(async () => {
    await worker?.close();
    if (config) await dropQueue(config);
    await database?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("runs the domain's migration and knows its entity: the schema has no pending change", async () => {
    const [table] = await dataSource.query<Array<{ name: string | null }>>(
      `SELECT to_regclass('public.test_notes')::text AS name`,
    );
    expect(table?.name).toBe('test_notes');
    expect(dataSource.hasMetadata(Note)).toBe(true);
    expect(await pendingSchemaChanges(dataSource)).toEqual([]);
  });

  it('runs its job type with its handler, which writes its row and its event in one transaction', async () => {
    const { job } = await worker.get(JobSubmitter).submit({
      zoneId,
      type: WRITE_NOTE_JOB.type,
      payload: { text: 'hello' },
      createdBy: 'registration-test',
    });

    let noteId = '';
    await eventually(async () => {
      const [row] = await dataSource.query<Array<{ status: string; result: { noteId: string } | null }>>(
        'SELECT status, result FROM jobs WHERE id = $1',
        [job.id],
      );
      expect(row?.status).toBe('succeeded');
      noteId = row!.result!.noteId;
    }, 20_000);
    expect(await dataSource.getRepository(Note).findOneByOrFail({ id: noteId })).toMatchObject({
      zoneId,
      text: 'hello',
    });
    const events = await dataSource.query<Array<Record<string, unknown>>>(
      `SELECT type, zone_id, aggregate_type, aggregate_id, actor_type, actor_id, payload, correlation_id
         FROM outbox_events WHERE aggregate_id = $1`,
      [noteId],
    );
    expect(events).toEqual([
      {
        type: 'note_written',
        zone_id: zoneId,
        aggregate_type: 'note',
        aggregate_id: noteId,
        actor_type: 'agent',
        actor_id: 'registration-test',
        payload: { text: 'hello' },
        correlation_id: job.id,
      },
    ]);
    // Its event consumer runs in the worker's relay: the event reaches it, and its position moves past it.
    await eventually(async () =>
      expect(worker.get(SeenNotesConsumer).seen.map((event) => [event.aggregateId, event.position])).toEqual([
        [noteId, '1'],
      ]),
    );
    await eventually(async () => {
      const [position] = await dataSource.query<Array<{ position: string }>>(
        `SELECT position FROM event_consumer_positions WHERE consumer = 'notes.seen' AND zone_key = $1`,
        [zoneId],
      );
      expect(position?.position).toBe('1');
    });
  });

  it("checks submissions against the domain's payload class", async () => {
    const submit = (payload: Record<string, unknown>) =>
      worker
        .get(JobSubmitter)
        .submit({ zoneId, type: WRITE_NOTE_JOB.type, payload, createdBy: 'registration-test' });

    await expect(submit({ text: 42 })).rejects.toMatchObject({ code: 'INVALID_JOB_PAYLOAD', status: 400 });
    await expect(submit({ text: 'ok', extra: true })).rejects.toBeInstanceOf(DomainError);
    const [count] = await dataSource.query<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM jobs WHERE type = $1`,
      [WRITE_NOTE_JOB.type],
    );
    expect(count?.n).toBe(1);
  });

  it('refuses an event type no mounted domain declares, writing nothing', async () => {
    const outbox = worker.get(TypeOrmOutbox);
    await expect(
      dataSource.transaction((manager) =>
        outbox.append(manager, [
          {
            id: randomUUID(),
            type: 'note_deleted',
            zoneId,
            aggregateType: 'note',
            aggregateId: 'x',
            actor: null,
            occurredAt: new Date().toISOString(),
            revision: null,
            payload: {},
            causationId: null,
            causationDepth: 0,
            correlationId: null,
          },
        ]),
      ),
    ).rejects.toThrow(/note_deleted is declared by no mounted domain/);
    const [count] = await dataSource.query<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM outbox_events WHERE type = 'note_deleted'`,
    );
    expect(count?.n).toBe(0);
  });

  it("leaves the app's own list unchanged: without the domain its job type is unknown", () => {
    expect(WORKER_DOMAINS.jobTypes.has(WRITE_NOTE_JOB.type)).toBe(false);
    expect(domains.jobTypes.get(WRITE_NOTE_JOB.type)?.domain).toBe('notes');
    expect(domains.eventTypes.get('note_written')).toBe('notes');
  });
});
