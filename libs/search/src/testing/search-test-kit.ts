import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Module } from '@nestjs/common';
import type { DynamicModule, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  ConfigModule,
  DomainsModule,
  ObservabilityModule,
  RedisModule,
  WorkerConfig,
  composeDomains,
  loadConfig,
} from '@nexus/core';
import type { Principal } from '@nexus/core';
import { EventRelayModule } from '@nexus/events';
import { FileWriter, FilesystemModule } from '@nexus/filesystem';
import { JobsModule } from '@nexus/jobs';
import { KvModule } from '@nexus/raft-kv';
import { RebacModule } from '@nexus/rebac';
import { DatabaseModule } from '@nexus/storage-models';
import { createTestDatabase } from '@nexus/storage-models/testing';
import type { TestDatabase } from '@nexus/storage-models/testing';
import { DataSource } from 'typeorm';
import { SEARCH_DOMAIN } from '../search.domain';
import { SearchModule } from '../search.module';
import { IndexFreshness } from '../service/index-freshness';

export const SEARCH_TEST_DOMAINS = composeDomains([SEARCH_DOMAIN]);

/** API and worker sides in one context: the filesystem and search services, the relay running the index consumer. */
@Module({})
class SearchTestModule {
  static forRoot(config: WorkerConfig, relay: boolean): DynamicModule {
    return {
      module: SearchTestModule,
      imports: [
        ConfigModule.forRoot(config),
        ObservabilityModule,
        RedisModule.forRoot({ purpose: 'test', mode: 'queue', waitingMessage: 'test' }),
        DomainsModule.forRoot(SEARCH_TEST_DOMAINS),
        DatabaseModule.forRoot({ schema: SEARCH_TEST_DOMAINS, runMigrations: true }),
        KvModule.forRoot(),
        RebacModule.forRoot(),
        JobsModule.forApi(),
        FilesystemModule.forApi(),
        SearchModule.forApi(),
        ...(relay ? [EventRelayModule.forRoot()] : []),
        SearchModule.forWorker(),
      ],
    };
  }
}

export interface SearchTestContext {
  app: INestApplicationContext;
  db: DataSource;
  dataDir: string;
  database: TestDatabase;
  /** Writes a file (creating its directories) and resolves the zone revision of the write. */
  write(principal: Principal, path: string, content: string | Buffer): Promise<bigint>;
  /** Writes the files in order and resolves once the index has taken them in. */
  writeIndexed(principal: Principal, files: Record<string, string | Buffer>): Promise<void>;
  /** Resolves once the index has taken in every change up to `revision`. */
  indexed(principal: Principal, revision: bigint): Promise<void>;
  /** Closes the context; unless `keep`, drops the database and removes the data directory. */
  close(options?: { keep?: boolean }): Promise<void>;
}

export interface SearchContextOptions {
  env?: Record<string, string>;
  /** Run the event relay (the index consumer); default true. */
  relay?: boolean;
  /** Reuse this database and data directory (a second context over the first one's files). */
  reuse?: { database: TestDatabase; dataDir: string };
}

/** A fresh database and data directory (or `reuse`d ones) with the search stack over them. */
export async function startSearchContext(options: SearchContextOptions = {}): Promise<SearchTestContext> {
  const env = options.env ?? {};
  const database = options.reuse?.database ?? (await createTestDatabase('nexus_search'));
  const dataDir = options.reuse?.dataDir ?? (await mkdtemp(join(tmpdir(), 'nexus-search-')));
  const config = loadConfig(WorkerConfig, {
    DATABASE_URL: database.url,
    NEXUS_DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    NEXUS_JOBS_QUEUE: `test-search-${randomBytes(4).toString('hex')}`,
    NEXUS_EVENT_RELAY_POLL_MS: '20',
    ...env,
  });
  const app = await NestFactory.createApplicationContext(
    SearchTestModule.forRoot(config, options.relay ?? true),
    {
      logger: false,
      abortOnError: false,
    },
  );
  await app.init();
  const writer = app.get(FileWriter);
  const freshness = app.get(IndexFreshness);
  const write: SearchTestContext['write'] = async (principal, path, content) => {
    const bytes = typeof content === 'string' ? Buffer.from(content) : content;
    const result = await writer.write(
      principal,
      path,
      (async function* () {
        yield bytes;
      })(),
      { parents: true },
    );
    return BigInt(result.revision ?? '0');
  };
  return {
    app,
    db: app.get(DataSource),
    dataDir,
    database,
    write,
    indexed: (principal, revision) => freshness.await(principal.zoneId, revision),
    writeIndexed: async (principal, files) => {
      let revision = 0n;
      for (const [path, content] of Object.entries(files)) revision = await write(principal, path, content);
      await freshness.await(principal.zoneId, revision);
    },
    close: async ({ keep = false } = {}) => {
      await app.close();
      if (keep) return;
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
