import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { DatabaseConnectionSettings } from '@nexus/storage-models';
import { buildDataSourceOptions } from '@nexus/storage-models';
import { createTestDatabase } from '@nexus/storage-models/testing';
import type { TestDatabase } from '@nexus/storage-models/testing';
import { DataSource } from 'typeorm';
import { CheckCache } from '../src/cache/check-cache';
import { REBAC_ENTITIES } from '../src/entities';
import { REBAC_MIGRATIONS } from '../src/migrations';
import { RebacModule } from '../src/rebac.module';
import type { RebacOptions } from '../src/rebac.options';
import { RebacService } from '../src/rebac.service';
import { RebacModelsService } from '../src/rebac-models.service';
import { RebacTuplesService } from '../src/rebac-tuples.service';

/** Stands in for the app's global DatabaseModule: exports a DataSource the test opened. */
@Module({})
class TestDataSourceModule {
  static of(dataSource: DataSource): DynamicModule {
    return {
      module: TestDataSourceModule,
      global: true,
      providers: [{ provide: DataSource, useValue: dataSource }],
      exports: [DataSource],
    };
  }
}

/** What one process holds: the services over its own caches and check pipeline. */
export interface RebacProcess {
  rebac: RebacService;
  tuples: RebacTuplesService;
  models: RebacModelsService;
  checkCache: CheckCache;
}

/** The rebac services of one process over `dataSource`, composed by Nest as the apps compose them. */
export async function startRebacProcess(
  dataSource: DataSource,
  options?: Partial<RebacOptions>,
): Promise<RebacProcess> {
  const moduleRef = await Test.createTestingModule({
    imports: [TestDataSourceModule.of(dataSource), RebacModule.forRoot(options)],
  }).compile();
  return {
    rebac: moduleRef.get(RebacService),
    tuples: moduleRef.get(RebacTuplesService),
    models: moduleRef.get(RebacModelsService),
    checkCache: moduleRef.get(CheckCache),
  };
}

/** A DataSource over `database` with rebac's tables migrated. */
export async function openMigratedDataSource(
  database: TestDatabase,
  pool: Pick<DatabaseConnectionSettings, 'poolSize' | 'poolIdleMs' | 'statementTimeoutMs'>,
): Promise<DataSource> {
  const dataSource = new DataSource(
    buildDataSourceOptions({
      url: database.url,
      ...pool,
      schema: { entities: REBAC_ENTITIES, migrations: REBAC_MIGRATIONS },
    }),
  );
  await dataSource.initialize();
  await dataSource.runMigrations();
  return dataSource;
}

export interface RebacTestContext extends RebacProcess {
  database: TestDatabase;
  dataSource: DataSource;
  /** Another process's view of the same database: its own caches and check pipeline. */
  newProcess(options?: Partial<RebacOptions>): Promise<RebacProcess>;
  close(): Promise<void>;
}

/** A fresh, migrated database and the rebac services over it (one per test file). */
export async function createRebacTestContext(
  prefix: string,
  options?: Partial<RebacOptions>,
): Promise<RebacTestContext> {
  const database = await createTestDatabase(prefix);
  const dataSource = await openMigratedDataSource(database, {
    poolSize: 6,
    poolIdleMs: 1_000,
    statementTimeoutMs: 20_000,
  });
  return {
    database,
    dataSource,
    ...(await startRebacProcess(dataSource, options)),
    newProcess: (extra) => startRebacProcess(dataSource, { ...options, ...extra }),
    close: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
      await database.drop();
    },
  };
}
