import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoggerService } from '@nestjs/common';
import { startEmbeddedPostgres } from './embedded-postgres-server';
import type { EmbeddedPostgresServer } from './embedded-postgres-server';

const quiet: LoggerService = { log: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * A throw-away embedded PostgreSQL server in a temporary directory, removed at
 * stop: for generating migrations against an empty schema and for tests.
 */
export async function startTemporaryPostgres(logger: LoggerService = quiet): Promise<EmbeddedPostgresServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'nexus-pg-'));
  try {
    const server = await startEmbeddedPostgres({ dataDir, port: 0, maxConnections: 50, logger });
    return {
      ...server,
      stop: async () => {
        await server.stop();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}
