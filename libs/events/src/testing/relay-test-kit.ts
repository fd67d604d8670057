import { randomUUID } from 'node:crypto';
import type { DynamicModule, INestApplicationContext } from '@nestjs/common';
import { Global, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  ConfigModule,
  DomainsModule,
  ObservabilityModule,
  WorkerConfig,
  composeDomains,
  createDomainEvent,
  loadConfig,
} from '@nexus/core';
import type { ComposedDomains, DomainEvent } from '@nexus/core';
import { JOB_WORKER_OPTIONS } from '@nexus/jobs';
import type { JobWorkerOptions } from '@nexus/jobs';
import { DatabaseModule, TypeOrmOutbox, buildDataSourceOptions } from '@nexus/storage-models';
import { DataSource } from 'typeorm';
import { EVENTS_DOMAIN } from '../events.domain';
import { EventRelayModule } from '../relay/event-relay.module';
import { RELAY_TEST_DOMAIN, RelayTestWorkerModule, THING_CREATED } from './relay-test-domain';
import type { RelayProbe } from './relay-test-domain';

export const RELAY_TEST_DOMAINS = composeDomains([EVENTS_DOMAIN, RELAY_TEST_DOMAIN]);

/** Fast polling and small batches, so tests cross many batch boundaries quickly. */
export function relayTestConfig(databaseUrl: string, env: Record<string, string> = {}): WorkerConfig {
  return loadConfig(WorkerConfig, {
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'silent',
    DB_POOL_SIZE: '8',
    NEXUS_EVENT_RELAY_POLL_MS: '20',
    NEXUS_EVENT_RELAY_BATCH_SIZE: '7',
    NEXUS_EVENT_RELAY_CONCURRENCY: '4',
    ...env,
  });
}

/** The worker options as JobsModule.forWorker() shares them, without the rest of the job system. */
@Global()
@Module({})
class WorkerOptionsTestModule {
  static forRoot(worker: JobWorkerOptions): DynamicModule {
    const provider = { provide: JOB_WORKER_OPTIONS, useValue: worker };
    return { module: WorkerOptionsTestModule, providers: [provider], exports: [provider] };
  }
}

@Module({})
class RelayTestModule {
  static forRoot(
    config: WorkerConfig,
    domains: ComposedDomains,
    probe: RelayProbe,
    worker: JobWorkerOptions | undefined,
  ): DynamicModule {
    return {
      module: RelayTestModule,
      imports: [
        ...(worker ? [WorkerOptionsTestModule.forRoot(worker)] : []),
        ConfigModule.forRoot(config),
        ObservabilityModule,
        DomainsModule.forRoot(domains),
        DatabaseModule.forRoot({ schema: domains, runMigrations: true }),
        EventRelayModule.forRoot(),
        RelayTestWorkerModule.forRoot(probe),
      ],
    };
  }
}

/**
 * A worker-like context with the relay and the test domain's handlers (no job
 * system, no Redis); `worker` stands in for the job worker's options.
 */
export async function startRelayContext(
  config: WorkerConfig,
  probe: RelayProbe,
  domains: ComposedDomains = RELAY_TEST_DOMAINS,
  worker?: JobWorkerOptions,
): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(
    RelayTestModule.forRoot(config, domains, probe, worker),
    { logger: false, abortOnError: false },
  );
  return app.init();
}

/** A separate pool for the test's writers, so they do not compete with the relay's. */
export async function writerDataSource(databaseUrl: string, poolSize = 20): Promise<DataSource> {
  const dataSource = new DataSource(
    buildDataSourceOptions({
      url: databaseUrl,
      poolSize,
      poolIdleMs: 1_000,
      statementTimeoutMs: 30_000,
      schema: RELAY_TEST_DOMAINS,
    }),
  );
  await dataSource.initialize();
  await dataSource.runMigrations();
  return dataSource;
}

export const relayTestOutbox = (): TypeOrmOutbox => new TypeOrmOutbox(RELAY_TEST_DOMAINS);

export function thingEvent(zoneId: string | null, type = THING_CREATED, payload: object = {}): DomainEvent {
  return createDomainEvent({
    type,
    zoneId,
    aggregateType: 'thing',
    aggregateId: randomUUID(),
    actor: { type: 'user', id: 'tester' },
    revision: null,
    payload: { ...payload },
    causationId: null,
    correlationId: null,
  });
}

/** The committed event ids of a zone in position order, optionally only some types. */
export async function committedIds(
  dataSource: DataSource,
  zoneId: string,
  types?: readonly string[],
): Promise<string[]> {
  const rows = await dataSource.query<Array<{ event_id: string }>>(
    `SELECT event_id FROM outbox_events
      WHERE zone_key = $1 AND ($2::varchar[] IS NULL OR type = ANY($2::varchar[]))
      ORDER BY zone_position`,
    [zoneId, types ?? null],
  );
  return rows.map((row) => row.event_id);
}

export interface PositionRow {
  position: string;
  failures: number;
  last_error: string | null;
  retry_at: Date | null;
  updated_at: Date;
}

export async function positionRow(
  dataSource: DataSource,
  consumer: string,
  zoneKey: string,
): Promise<PositionRow | undefined> {
  const [row] = await dataSource.query<PositionRow[]>(
    `SELECT position, failures, last_error, retry_at, updated_at FROM event_consumer_positions
      WHERE consumer = $1 AND zone_key = $2`,
    [consumer, zoneKey],
  );
  return row;
}
