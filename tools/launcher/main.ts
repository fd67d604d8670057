/**
 * `npm start`: runs the API and the worker, and without DATABASE_URL the embedded
 * PostgreSQL server they both connect to. The database starts first and stops
 * last, after both children have exited. SIGINT/SIGTERM stop the children
 * gracefully (SIGKILL once their grace period is over); if either child exits on
 * its own the other is stopped and the launcher exits with the first one's code.
 */
import 'reflect-metadata';
import type { ChildProcess } from 'node:child_process';
import { parseArgs } from 'node:util';
import { Logger } from '@nestjs/common';
import { NestPinoLogger, WorkerConfig, createLogger, ignoreClosedStdio, loadConfigOrExit } from '@nexus/core';
import { startEmbeddedPostgres } from '@nexus/storage-models';
import type { EmbeddedPostgresServer } from '@nexus/storage-models';
import { isRunning, spawnChild } from './children';
import type { ChildName } from './children';

const USAGE = `Usage: npm start            (from source)
       npm run start:prod   (from the build in dist/nexus)

Runs the Nexus API and a worker. Without DATABASE_URL it first starts the embedded
PostgreSQL server in NEXUS_DATA_DIR/postgres (127.0.0.1 only) and hands its URL to
both. Ctrl-C or SIGTERM stops everything; the configuration is read from the
environment (see the README).
`;

// After the children's own grace period, a little longer for their forced exit before SIGKILL.
const KILL_MARGIN_MS = 2_000;

async function main(): Promise<void> {
  // A reader that went away (a closed pipe) must neither crash nor hang the launcher.
  ignoreClosedStdio();
  const { values } = parseArgs({ options: { help: { type: 'boolean', short: 'h' } }, strict: true });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const config = loadConfigOrExit(WorkerConfig);
  Logger.overrideLogger(new NestPinoLogger(createLogger('launcher', config.LOG_LEVEL)));
  const logger = new Logger('Launcher');

  const children = new Map<ChildName, ChildProcess>();
  let database: EmbeddedPostgresServer | null = null;
  let exitCode: number | null = null;
  let killTimer: NodeJS.Timeout | undefined;

  const finish = async () => {
    clearTimeout(killTimer);
    try {
      await database?.stop();
    } catch (error) {
      logger.error({ msg: 'Embedded PostgreSQL did not stop cleanly', err: error });
      exitCode = exitCode || 1;
    }
    process.exit(exitCode ?? 0);
  };

  const stopChildren = () => {
    for (const child of children.values()) if (isRunning(child)) child.kill('SIGTERM');
    killTimer ??= setTimeout(() => {
      for (const [name, child] of children) {
        if (!isRunning(child)) continue;
        logger.warn(`${name} did not exit within its grace period; killing it`);
        child.kill('SIGKILL');
      }
    }, config.NEXUS_SHUTDOWN_GRACE_MS + KILL_MARGIN_MS);
  };

  let stopping = false;
  let stopRequested = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) {
        for (const child of children.values()) if (isRunning(child)) child.kill('SIGKILL');
        return;
      }
      // The exit code is the first child's: 0 after a clean stop, non-zero if one failed or was killed.
      stopping = true;
      stopRequested = true;
      stopChildren();
    });
  }

  if (!config.DATABASE_URL) {
    database = await startEmbeddedPostgres({
      dataDir: config.NEXUS_DATA_DIR,
      port: config.NEXUS_EMBEDDED_DB_PORT,
      maxConnections: config.NEXUS_EMBEDDED_DB_MAX_CONNECTIONS,
      logger,
    });
  }
  if (stopping) return finish();

  const env = { ...process.env, DATABASE_URL: database?.url ?? config.DATABASE_URL };
  for (const name of ['api', 'worker'] as const) {
    const child = spawnChild(name, env);
    children.set(name, child);
    child.on('exit', (code, signal) => {
      if (exitCode === null) {
        // A child still starting has no SIGTERM handler yet: ended by the SIGTERM we sent, it stopped as asked.
        const stoppedAsAsked = stopRequested && signal === 'SIGTERM';
        exitCode = stoppedAsAsked ? 0 : (code ?? (signal ? 1 : 0));
        if (exitCode !== 0)
          logger.error(`${name} exited with ${signal ?? `code ${code}`}; stopping the rest`);
        stopping = true;
        stopChildren();
      }
      if ([...children.values()].every((other) => !isRunning(other))) void finish();
    });
  }
}

main().catch((error: unknown) => {
  try {
    process.stderr.write(`nexus: ${error instanceof Error ? error.message : String(error)}\n`);
  } finally {
    process.exit(1);
  }
});
