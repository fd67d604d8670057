import { setTimeout as sleep } from 'node:timers/promises';
import { resolve } from 'node:path';
import type { LoggerService } from '@nestjs/common';
import type { BaseConfig } from '@nexus/core';
import { findEmbeddedPostgres, startEmbeddedPostgres } from './embedded-postgres';

/**
 * `owner`: without DATABASE_URL, this process opens and serves the embedded database (the API).
 * `client`: without DATABASE_URL, this process waits for the owner to serve it (the worker).
 */
export type DatabaseRole = 'owner' | 'client';

export interface DatabaseEndpoint {
  url: string;
  embedded: boolean;
  /** The owner calls it once the schema is migrated; clients of an embedded database wait for it. */
  markReady(): Promise<void>;
  close(): Promise<void>;
}

const nothing = async (): Promise<void> => undefined;

// Looking for the endpoint file is cheap: poll often so the worker joins soon after the API.
const MAX_WAIT_STEP_MS = 1_000;

async function waitForEmbeddedPostgres(
  dataDir: string,
  logger: LoggerService,
  signal?: AbortSignal,
): Promise<string> {
  let delayMs = 250;
  let announced = false;
  for (;;) {
    const url = await findEmbeddedPostgres(dataDir, { ready: true });
    if (url) return url;
    if (!announced) {
      logger.warn(
        `Waiting for the embedded database in ${resolve(dataDir)}: the API process serves it once migrated ` +
          '(start the API, or set DATABASE_URL). Retrying with backoff.',
      );
      announced = true;
    }
    await sleep(delayMs, undefined, { signal });
    delayMs = Math.min(delayMs * 2, MAX_WAIT_STEP_MS);
  }
}

export async function resolveDatabaseEndpoint(
  config: BaseConfig,
  role: DatabaseRole,
  logger: LoggerService,
  signal?: AbortSignal,
): Promise<DatabaseEndpoint> {
  if (config.DATABASE_URL) {
    return { url: config.DATABASE_URL, embedded: false, markReady: nothing, close: nothing };
  }
  if (role === 'client') {
    const url = await waitForEmbeddedPostgres(config.NEXUS_DATA_DIR, logger, signal);
    return { url, embedded: true, markReady: nothing, close: nothing };
  }
  const embedded = await startEmbeddedPostgres(
    config.NEXUS_DATA_DIR,
    config.NEXUS_EMBEDDED_DB_MAX_CONNECTIONS,
    logger,
  );
  return {
    url: embedded.url,
    embedded: true,
    markReady: () => embedded.markReady(),
    close: () => embedded.stop(),
  };
}
