import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Module } from '@nestjs/common';
import type { DynamicModule, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ApiConfig, ConfigModule, DomainsModule, ObservabilityModule, composeDomains, loadConfig } from '@nexus/core';
import type { Principal } from '@nexus/core';
import { KvModule } from '@nexus/raft-kv';
import { RebacModule } from '@nexus/rebac';
import { DatabaseModule } from '@nexus/storage-models';
import { createTestDatabase } from '@nexus/storage-models/testing';
import type { TestDatabase } from '@nexus/storage-models/testing';
import { FILESYSTEM_DOMAIN } from '../filesystem.domain';
import { FilesystemModule } from '../filesystem.module';

/** The filesystem and the domains it requires (rebac, jobs). */
export const FS_TEST_DOMAINS = composeDomains([FILESYSTEM_DOMAIN]);

@Module({})
class FilesystemTestModule {
  static forRoot(config: ApiConfig, extra: DynamicModule[]): DynamicModule {
    return {
      module: FilesystemTestModule,
      imports: [
        ConfigModule.forRoot(config),
        ObservabilityModule,
        DomainsModule.forRoot(FS_TEST_DOMAINS),
        DatabaseModule.forRoot({ schema: FS_TEST_DOMAINS, runMigrations: true }),
        KvModule.forRoot(),
        RebacModule.forRoot(),
        FilesystemModule.forApi(),
        ...extra,
      ],
    };
  }
}

/** A fresh database and data directory, and an application context with the filesystem services over them. */
export interface FsTestContext {
  app: INestApplicationContext;
  config: ApiConfig;
  database: TestDatabase;
  dataDir: string;
  close(): Promise<void>;
}

export async function startFilesystemContext(
  env: Record<string, string> = {},
  extra: DynamicModule[] = [],
): Promise<FsTestContext> {
  const database = await createTestDatabase('nexus_fs');
  const dataDir = await mkdtemp(join(tmpdir(), 'nexus-fs-'));
  const config = loadConfig(ApiConfig, {
    DATABASE_URL: database.url,
    NEXUS_DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    ...env,
  });
  const app = await NestFactory.createApplicationContext(FilesystemTestModule.forRoot(config, extra), {
    logger: false,
    abortOnError: false,
  });
  await app.init();
  return {
    app,
    config,
    database,
    dataDir,
    close: async () => {
      await app.close();
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export function fsPrincipal(overrides: Partial<Principal> = {}): Principal {
  return {
    subjectType: 'user',
    subjectId: `user-${randomBytes(3).toString('hex')}`,
    zoneId: randomUUID(),
    role: 'editor',
    superuser: false,
    keyId: null,
    ...overrides,
  };
}

/** A body stream of the given bytes (or text). */
export async function* bodyOf(content: string | Uint8Array): AsyncIterable<Uint8Array> {
  yield typeof content === 'string' ? Buffer.from(content) : content;
}
