import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { LoggerService } from '@nestjs/common';

export interface EmbeddedPostgres {
  url: string;
  /** Tells other processes the schema is migrated: only then do they join (findEmbeddedPostgres with ready). */
  markReady(): Promise<void>;
  stop(): Promise<void>;
}

interface EndpointFile {
  host: string;
  port: number;
  pid: number;
  /** False while the owner is still migrating the schema. */
  ready: boolean;
}

const EMBEDDED_DIR = 'pglite';
const ENDPOINT_FILE = 'endpoint.json';

function endpointPath(dataDir: string): string {
  return join(resolve(dataDir), EMBEDDED_DIR, ENDPOINT_FILE);
}

function urlFor(endpoint: EndpointFile): string {
  return `postgres://postgres@${endpoint.host}:${endpoint.port}/postgres`;
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The embedded database another live process serves from this data dir, if any;
 * with `ready`, only once that process has migrated the schema (a joining
 * process must not query tables that do not exist yet: PGlite serves every
 * connection on one session, and a failed statement there can disturb the
 * owner's migration).
 */
export async function findEmbeddedPostgres(
  dataDir: string,
  options: { ready?: boolean } = {},
): Promise<string | null> {
  let endpoint: EndpointFile;
  try {
    endpoint = JSON.parse(await readFile(endpointPath(dataDir), 'utf8')) as EndpointFile;
  } catch {
    return null;
  }
  if (options.ready && endpoint.ready !== true) return null;
  return processIsAlive(endpoint.pid) ? urlFor(endpoint) : null;
}

/**
 * Opens the PGlite database in `<dataDir>/pglite` and serves it on a free
 * loopback port so the ordinary `pg` driver, entities and migrations run
 * unchanged. The endpoint is published in a file so a second process (the
 * worker) connects to this one instead of opening the files itself: PGlite is
 * single-process.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  maxConnections: number,
  logger: LoggerService,
): Promise<EmbeddedPostgres> {
  const existing = await findEmbeddedPostgres(dataDir);
  if (existing) {
    throw new Error(
      `The embedded database in ${resolve(dataDir)} is already served by another process (${existing}); ` +
        'stop it or set DATABASE_URL',
    );
  }
  // Loaded lazily: deployments on a PostgreSQL server never load the WASM build.
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  const directory = join(resolve(dataDir), EMBEDDED_DIR);
  await mkdir(directory, { recursive: true });
  const db = await PGlite.create(join(directory, 'data'));
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections });
  await server.start();
  const [host, port] = server.getServerConn().split(':');
  const endpoint: EndpointFile = {
    host: host ?? '127.0.0.1',
    port: Number(port),
    pid: process.pid,
    ready: false,
  };
  await writeFile(endpointPath(dataDir), JSON.stringify(endpoint));
  logger.log(`Embedded PostgreSQL (PGlite) in ${directory} serving on ${endpoint.host}:${endpoint.port}`);
  return {
    url: urlFor(endpoint),
    markReady: () => writeFile(endpointPath(dataDir), JSON.stringify({ ...endpoint, ready: true })),
    stop: async () => {
      await rm(endpointPath(dataDir), { force: true });
      await server.stop();
      await db.close();
    },
  };
}
