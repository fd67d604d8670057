import { ALL_ENTITIES } from '@nexus/storage-models/all-entities';
import { buildDataSourceOptions } from '@nexus/storage-models';
import { createTestDatabase } from '@nexus/storage-models/testing';
import type { TestDatabase } from '@nexus/storage-models/testing';
import { DataSource } from 'typeorm';
import type { RebacOptions } from '../src/rebac.options';
import { RebacRuntime } from '../src/rebac.runtime';
import { RebacService } from '../src/rebac.service';
import { RebacModelsService } from '../src/rebac-models.service';
import { RebacTuplesService } from '../src/rebac-tuples.service';

export interface RebacTestContext {
  database: TestDatabase;
  dataSource: DataSource;
  runtime: RebacRuntime;
  rebac: RebacService;
  tuples: RebacTuplesService;
  models: RebacModelsService;
  /** Another process's view of the same database: its own runtime and caches. */
  newRuntime(options?: Partial<RebacOptions>): {
    runtime: RebacRuntime;
    rebac: RebacService;
    tuples: RebacTuplesService;
    models: RebacModelsService;
  };
  close(): Promise<void>;
}

/** A fresh, migrated database and the rebac services over it (one per test file). */
export async function createRebacTestContext(
  prefix: string,
  options?: Partial<RebacOptions>,
): Promise<RebacTestContext> {
  const database = await createTestDatabase(prefix);
  const dataSource = new DataSource(
    buildDataSourceOptions({
      url: database.url,
      poolSize: 6,
      poolIdleMs: 1_000,
      statementTimeoutMs: 20_000,
      entities: ALL_ENTITIES,
    }),
  );
  await dataSource.initialize();
  await dataSource.runMigrations();
  const build = (extra?: Partial<RebacOptions>) => {
    const runtime = new RebacRuntime(dataSource, { ...options, ...extra });
    return {
      runtime,
      rebac: new RebacService(runtime),
      tuples: new RebacTuplesService(runtime),
      models: new RebacModelsService(runtime),
    };
  };
  return {
    database,
    dataSource,
    ...build(),
    newRuntime: build,
    close: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
      await database.drop();
    },
  };
}
