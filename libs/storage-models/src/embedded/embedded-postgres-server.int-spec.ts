import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LoggerService } from '@nestjs/common';
import { isProcessAlive as alive } from '@nexus/core/testing';
import { Client } from 'pg';
import {
  embeddedServerDirectory,
  runningEmbeddedPostgresUrl,
  startEmbeddedPostgres,
} from './embedded-postgres-server';
import type { EmbeddedPostgresServer } from './embedded-postgres-server';
import { EmbeddedDatabaseInUseError } from './postmaster-lock';

jest.setTimeout(90_000);

class RecordingLogger implements LoggerService {
  readonly messages: string[] = [];
  log(message: unknown): void {
    this.messages.push(String(message));
  }
  warn(message: unknown): void {
    this.messages.push(`warn: ${String(message)}`);
  }
  error(message: unknown): void {
    this.messages.push(`error: ${String(message)}`);
  }
}

async function query<T>(url: string, sql: string): Promise<T[]> {
  const client = new Client(url);
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

describe('the embedded PostgreSQL server', () => {
  let dataDir: string;
  const started: EmbeddedPostgresServer[] = [];

  const start = async (logger: LoggerService = new RecordingLogger()) => {
    const server = await startEmbeddedPostgres({ dataDir, port: 0, maxConnections: 60, logger });
    started.push(server);
    return server;
  };

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'nexus-embedded-'));
  });

  afterEach(async () => {
    for (const server of started.splice(0)) await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('initialises on first start, listens on 127.0.0.1 with the settings asked for, and keeps data across restarts', async () => {
    const logger = new RecordingLogger();
    const first = await start(logger);
    expect(first.url).toMatch(/^postgres:\/\/postgres:[^@]+@127\.0\.0\.1:\d+\/postgres$/);
    expect(logger.messages.some((m) => m.includes('created a new database cluster'))).toBe(true);
    const [settings] = await query<Record<string, string>>(
      first.url,
      "SELECT current_setting('max_connections') AS max, current_setting('listen_addresses') AS listen, " +
        "current_setting('fsync') AS fsync, current_setting('server_version_num') AS version",
    );
    expect(settings).toMatchObject({ max: '60', listen: '127.0.0.1', fsync: 'on' });
    expect(Number(settings?.version)).toBeGreaterThanOrEqual(180_000);
    await query(
      first.url,
      'CREATE EXTENSION pg_trgm; CREATE TABLE kept (v text); INSERT INTO kept VALUES ($$still here$$)',
    );
    await first.stop();
    expect(alive(first.pid)).toBe(false);
    expect(await runningEmbeddedPostgresUrl(dataDir)).toBeNull();

    const again = new RecordingLogger();
    const second = await start(again);
    expect(again.messages.some((m) => m.includes('created a new database cluster'))).toBe(false);
    expect(await query(second.url, 'SELECT v FROM kept')).toEqual([{ v: 'still here' }]);
    expect(await runningEmbeddedPostgresUrl(dataDir)).toBe(second.url);
  });

  it('keeps its generated password in the data directory, readable by its owner only', async () => {
    await start();
    expect((await stat(join(dataDir, 'postgres.password'))).mode & 0o777).toBe(0o600);
    // Password authentication even on loopback: a wrong password is refused.
    const server = started[0] as EmbeddedPostgresServer;
    const wrong = server.url.replace(/:[^:@]+@/, ':wrong@');
    await expect(query(wrong, 'SELECT 1')).rejects.toThrow(/password authentication failed/);
  });

  it('refuses a second start on a directory whose server is running, naming the pid', async () => {
    const first = await start();
    const attempt = startEmbeddedPostgres({
      dataDir,
      port: 0,
      maxConnections: 60,
      logger: new RecordingLogger(),
    });
    await expect(attempt).rejects.toBeInstanceOf(EmbeddedDatabaseInUseError);
    await expect(attempt).rejects.toThrow(
      new RegExp(`in use by a running PostgreSQL server \\(pid ${first.pid}\\)`),
    );
    expect(await query(first.url, 'SELECT 1 AS up')).toEqual([{ up: 1 }]);
  });

  it('recovers the stale postmaster.pid a kill -9 leaves behind', async () => {
    const first = await start();
    await query(first.url, 'CREATE TABLE survived (v int); INSERT INTO survived VALUES (7)');
    process.kill(first.pid, 'SIGKILL');
    while (alive(first.pid)) await sleep(50);
    // Its background processes notice the postmaster's death and exit on their own.
    await sleep(500);
    expect((await stat(join(embeddedServerDirectory(dataDir), 'postmaster.pid'))).isFile()).toBe(true);

    const logger = new RecordingLogger();
    const second = await start(logger);
    expect(logger.messages.some((m) => m.startsWith('warn: ') && m.includes('stale postmaster.pid'))).toBe(
      true,
    );
    expect(await query(second.url, 'SELECT v FROM survived')).toEqual([{ v: 7 }]);
  });

  it('as root, says clearly when the postgres user cannot reach the data directory', async () => {
    if (process.getuid?.() !== 0) return; // only root hands the server to another account
    const hidden = join(dataDir, 'private');
    await mkdir(hidden, { mode: 0o700 });
    const attempt = startEmbeddedPostgres({
      dataDir: join(hidden, 'data'),
      port: 0,
      maxConnections: 60,
      logger: new RecordingLogger(),
    });
    await expect(attempt).rejects.toThrow(
      /runs as postgres, which cannot reach .*private\/data: give the directories above it search permission/,
    );
  });

  it('runs as the unprivileged postgres user when started as root', async () => {
    await start();
    const owner = (await stat(embeddedServerDirectory(dataDir))).uid;
    if (process.getuid?.() === 0) {
      expect(owner).toBe(Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim()));
    } else {
      expect(owner).toBe(process.getuid?.());
    }
  });
});
