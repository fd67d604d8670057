import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  NestPinoLogger,
  WorkerConfig,
  createLogger,
  describeConfig,
  installShutdownSignals,
  loadConfigOrExit,
} from '@nexus/core';
import { JobWorkerHost, jobBudgetOf, parseWorkerFlags } from '@nexus/jobs';
import type { WorkerFlags } from '@nexus/jobs';
import { createWorkerId } from './worker-identity';
import { WorkerModule } from './worker.module';

/** Exit code for unusable command-line flags (EX_USAGE). */
const EXIT_USAGE = 64;

function flagsOrExit(): WorkerFlags {
  try {
    return parseWorkerFlags(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`Nexus worker: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(EXIT_USAGE);
  }
}

async function main(): Promise<void> {
  const flags = flagsOrExit();
  const config = loadConfigOrExit(WorkerConfig);
  const workerId = createWorkerId();
  const nestLogger = new NestPinoLogger(createLogger('worker', config.LOG_LEVEL).child({ workerId }));
  Logger.overrideLogger(nestLogger);
  const logger = new Logger('Worker');
  logger.log({ msg: 'Configuration loaded', config: describeConfig(config) });
  // Installed before the context exists: a stop while waiting for a dependency is clean too.
  const running: { app?: INestApplicationContext } = {};
  installShutdownSignals({
    logger,
    graceMs: config.NEXUS_SHUTDOWN_GRACE_MS,
    close: async () => {
      await running.app?.close();
    },
  });
  const jobBudget = jobBudgetOf(flags);
  running.app = await NestFactory.createApplicationContext(
    WorkerModule.forRoot(config, { workerId, concurrency: flags.concurrency, jobBudget }),
    { logger: nestLogger, abortOnError: false },
  );
  logger.log(`Nexus worker ${workerId} started`);
  if (jobBudget !== null) {
    // --once / --max-jobs: exit with the number of jobs processed.
    const count = await running.app.get(JobWorkerHost).finished;
    await running.app.close();
    logger.log(`Processed ${count} job(s); exiting`);
    process.exit(count);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`Nexus worker failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
