import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoggerService } from '@nestjs/common';
import { BaseConfig, loadConfig } from '@nexus/core';
import { Client } from 'pg';
import { resolveDatabaseEndpoint } from './database-endpoint';
import type { DatabaseEndpoint } from './database-endpoint';
import { findEmbeddedPostgres, startEmbeddedPostgres } from './embedded-postgres';
import type { EmbeddedPostgres } from './embedded-postgres';

jest.setTimeout(60_000);

interface LoggedMessage {
  level: 'log' | 'error' | 'warn' | 'debug' | 'verbose' | 'fatal';
  message: string;
}

/** A LoggerService that remembers what it was told. */
class RecordingLogger implements LoggerService {
  readonly messages: LoggedMessage[] = [];

  log(message: unknown): void {
    this.messages.push({ level: 'log', message: String(message) });
  }
  error(message: unknown): void {
    this.messages.push({ level: 'error', message: String(message) });
  }
  warn(message: unknown): void {
    this.messages.push({ level: 'warn', message: String(message) });
  }
  debug(message: unknown): void {
    this.messages.push({ level: 'debug', message: String(message) });
  }
  verbose(message: unknown): void {
    this.messages.push({ level: 'verbose', message: String(message) });
  }
  fatal(message: unknown): void {
    this.messages.push({ level: 'fatal', message: String(message) });
  }

  matching(pattern: RegExp): LoggedMessage[] {
    return this.messages.filter((entry) => pattern.test(entry.message));
  }
}

async function query<T>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query(sql, params);
    return result.rows as T[];
  } finally {
    await client.end();
  }
}

/** The pid of a process that has exited (and been reaped) by the time this resolves. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not spawn a child process');
  if (child.exitCode === null) await once(child, 'exit');
  return pid;
}

function endpointFile(dataDir: string): string {
  return join(dataDir, 'pglite', 'endpoint.json');
}

describe('embedded PostgreSQL (PGlite over a socket)', () => {
  let dataDir: string;
  const running: EmbeddedPostgres[] = [];

  async function start(logger: LoggerService = new RecordingLogger()): Promise<EmbeddedPostgres> {
    const embedded = await startEmbeddedPostgres(dataDir, 8, logger);
    running.push(embedded);
    return embedded;
  }

  async function stop(embedded: EmbeddedPostgres): Promise<void> {
    running.splice(running.indexOf(embedded), 1);
    await embedded.stop();
  }

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'nexus-embedded-'));
  });

  afterEach(async () => {
    for (const embedded of running.splice(0)) await embedded.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('serves a working database over pg and keeps its data across a restart', async () => {
    const logger = new RecordingLogger();
    const first = await start(logger);
    expect(first.url).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
    expect(logger.matching(/serving on 127\.0\.0\.1:\d+/)).toHaveLength(1);

    expect(await query(first.url, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
    await query(first.url, 'CREATE TABLE notes (id serial PRIMARY KEY, body text NOT NULL, meta jsonb)');
    await query(first.url, 'INSERT INTO notes (body, meta) VALUES ($1, $2), ($3, $4)', [
      'first',
      { n: 1 },
      'zweite ü',
      { n: 2 },
    ]);
    await stop(first);

    const second = await start();
    const rows = await query<{ body: string; meta: unknown }>(second.url, 'SELECT body, meta FROM notes ORDER BY id');
    expect(rows).toEqual([
      { body: 'first', meta: { n: 1 } },
      { body: 'zweite ü', meta: { n: 2 } },
    ]);
  });

  it('accepts several pg connections at once', async () => {
    const embedded = await start();
    const clients = [1, 2, 3].map(() => new Client({ connectionString: embedded.url }));
    try {
      await Promise.all(clients.map((client) => client.connect()));
      const results = await Promise.all(clients.map((client, i) => client.query('SELECT $1::int AS n', [i])));
      expect(results.map((result) => (result.rows[0] as { n: number }).n)).toEqual([0, 1, 2]);
    } finally {
      await Promise.all(clients.map((client) => client.end()));
    }
  });

  it('publishes its endpoint while running and withdraws it on stop', async () => {
    expect(await findEmbeddedPostgres(dataDir)).toBeNull();

    const embedded = await start();
    const endpoint = JSON.parse(await readFile(endpointFile(dataDir), 'utf8')) as {
      host: string;
      port: number;
      pid: number;
    };
    expect(endpoint.pid).toBe(process.pid);
    expect(endpoint.host).toBe('127.0.0.1');
    expect(embedded.url).toBe(`postgres://postgres@127.0.0.1:${endpoint.port}/postgres`);
    expect(await findEmbeddedPostgres(dataDir)).toBe(embedded.url);
    // A non-normalised spelling of the same directory finds it too.
    expect(await findEmbeddedPostgres(join(dataDir, 'pglite', '..'))).toBe(embedded.url);

    await stop(embedded);
    expect(await findEmbeddedPostgres(dataDir)).toBeNull();
    await expect(readFile(endpointFile(dataDir), 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('refuses to open a data dir that is already being served', async () => {
    const first = await start();
    await expect(startEmbeddedPostgres(dataDir, 8, new RecordingLogger())).rejects.toThrow(/already served/);
    // The first server is unaffected and still published.
    expect(await query(first.url, 'SELECT 2 AS two')).toEqual([{ two: 2 }]);
    expect(await findEmbeddedPostgres(dataDir)).toBe(first.url);
  });

  it('ignores an endpoint file left behind by a process that is gone', async () => {
    const pid = await deadPid();
    await mkdir(join(dataDir, 'pglite'), { recursive: true });
    await writeFile(endpointFile(dataDir), JSON.stringify({ host: '127.0.0.1', port: 1, pid }));
    expect(await findEmbeddedPostgres(dataDir)).toBeNull();

    // and a new owner takes over the directory, replacing the stale file.
    const embedded = await start();
    expect(await findEmbeddedPostgres(dataDir)).toBe(embedded.url);
    expect(JSON.parse(await readFile(endpointFile(dataDir), 'utf8'))).toMatchObject({ pid: process.pid });
  });

  it('ignores an unreadable endpoint file', async () => {
    await mkdir(join(dataDir, 'pglite'), { recursive: true });
    await writeFile(endpointFile(dataDir), '{ not json');
    expect(await findEmbeddedPostgres(dataDir)).toBeNull();
  });
});

describe('resolveDatabaseEndpoint', () => {
  let dataDir: string;
  const opened: DatabaseEndpoint[] = [];

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'nexus-endpoint-'));
  });

  afterEach(async () => {
    for (const endpoint of opened.splice(0)) await endpoint.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it.each(['owner', 'client'] as const)('as %s, returns DATABASE_URL untouched when it is set', async (role) => {
    const url = 'postgresql://someone:secret@db.example:6543/nexus?sslmode=require';
    const logger = new RecordingLogger();
    const config = loadConfig(BaseConfig, { DATABASE_URL: url, NEXUS_DATA_DIR: dataDir });

    const endpoint = await resolveDatabaseEndpoint(config, role, logger);

    expect(endpoint.url).toBe(url);
    expect(endpoint.embedded).toBe(false);
    await endpoint.close();
    expect(logger.messages).toEqual([]);
    // Nothing embedded was started in the data dir.
    expect(await findEmbeddedPostgres(dataDir)).toBeNull();
  });

  it('as owner without DATABASE_URL, starts and serves the embedded database; close stops it', async () => {
    const config = loadConfig(BaseConfig, { NEXUS_DATA_DIR: dataDir, NEXUS_EMBEDDED_DB_MAX_CONNECTIONS: '4' });
    const endpoint = await resolveDatabaseEndpoint(config, 'owner', new RecordingLogger());

    expect(endpoint.embedded).toBe(true);
    expect(await findEmbeddedPostgres(dataDir)).toBe(endpoint.url);
    expect(await query(endpoint.url, 'SELECT 3 AS three')).toEqual([{ three: 3 }]);

    await endpoint.close();
    expect(await findEmbeddedPostgres(dataDir)).toBeNull();
  });

  it('as client, waits for the owner to serve the same data dir and then connects to it', async () => {
    const config = loadConfig(BaseConfig, { NEXUS_DATA_DIR: dataDir });
    const clientLogger = new RecordingLogger();
    let clientResolved = false;
    const clientPromise = resolveDatabaseEndpoint(config, 'client', clientLogger).then((endpoint) => {
      clientResolved = true;
      return endpoint;
    });

    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(clientResolved).toBe(false);

    const owner = await resolveDatabaseEndpoint(config, 'owner', new RecordingLogger());
    opened.push(owner);
    // Served but not migrated yet: the client keeps waiting until the owner says the schema is ready.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(clientResolved).toBe(false);
    expect(await findEmbeddedPostgres(dataDir)).toBe(owner.url);
    expect(await findEmbeddedPostgres(dataDir, { ready: true })).toBeNull();
    await owner.markReady();
    const client = await clientPromise;
    opened.unshift(client);

    expect(client.embedded).toBe(true);
    expect(client.url).toBe(owner.url);
    expect(await query(client.url, 'SELECT 4 AS four')).toEqual([{ four: 4 }]);

    const waiting = clientLogger.matching(/Waiting for the embedded database/);
    expect(waiting).toHaveLength(1);
    expect(waiting[0]?.level).toBe('warn');
    expect(waiting[0]?.message).toContain(dataDir);
    expect(clientLogger.messages).toHaveLength(1);

    // The client does not own the database: closing it leaves the owner serving.
    await client.close();
    expect(await findEmbeddedPostgres(dataDir)).toBe(owner.url);
  });

  it('as client, joins at once without a waiting message when the owner already serves', async () => {
    const config = loadConfig(BaseConfig, { NEXUS_DATA_DIR: dataDir });
    const owner = await resolveDatabaseEndpoint(config, 'owner', new RecordingLogger());
    opened.push(owner);
    await owner.markReady();

    const clientLogger = new RecordingLogger();
    const client = await resolveDatabaseEndpoint(config, 'client', clientLogger);
    expect(client.url).toBe(owner.url);
    expect(clientLogger.messages).toEqual([]);
  });

  it('as client, stops waiting when the AbortSignal fires', async () => {
    const config = loadConfig(BaseConfig, { NEXUS_DATA_DIR: dataDir });
    const logger = new RecordingLogger();
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 700);

    await expect(resolveDatabaseEndpoint(config, 'client', logger, controller.signal)).rejects.toMatchObject({
      name: 'AbortError',
    });
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(650);
    expect(elapsed).toBeLessThan(5_000);
    expect(logger.matching(/Waiting for the embedded database/)).toHaveLength(1);
  });

  it('as client, rejects at once with an already aborted signal', async () => {
    const config = loadConfig(BaseConfig, { NEXUS_DATA_DIR: dataDir });
    await expect(
      resolveDatabaseEndpoint(config, 'client', new RecordingLogger(), AbortSignal.abort()),
    ).rejects.toMatchObject({ name: 'AbortError' });
  });
});
