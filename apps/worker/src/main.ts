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
import { createWorkerId } from './worker-identity';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
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
  running.app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), {
    logger: nestLogger,
    abortOnError: false,
  });
  logger.log(`Nexus worker ${workerId} started`);
}

main().catch((error: unknown) => {
  process.stderr.write(`Nexus worker failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
