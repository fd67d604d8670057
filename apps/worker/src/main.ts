import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  MetricsService,
  NestPinoLogger,
  WorkerConfig,
  createLogger,
  describeConfig,
  ignoreClosedStdio,
  installShutdownSignals,
  loadConfigOrExit,
} from '@nexus/core';
import { JobWorkerHost, WORKER_USAGE, jobBudgetOf, parseWorkerFlags } from '@nexus/jobs';
import type { WorkerFlags } from '@nexus/jobs';
import { createWorkerId } from './worker-identity';
import { MetricsListenError, startWorkerMetricsServer } from './worker-metrics-server';
import type { WorkerMetricsServer } from './worker-metrics-server';
import { WorkerModule } from './worker.module';

/** Exit code for unusable command-line flags (EX_USAGE). */
const EXIT_USAGE = 64;
/** Exit code for a configuration that cannot work, like loadConfigOrExit's (EX_CONFIG). */
const EXIT_CONFIG = 78;

function flagsOrExit(): WorkerFlags {
  let flags: WorkerFlags;
  try {
    flags = parseWorkerFlags(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`Nexus worker: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(EXIT_USAGE);
  }
  if (flags.help) {
    // Before the configuration is read: help works whatever the environment holds.
    process.stdout.write(WORKER_USAGE);
    process.exit(0);
  }
  return flags;
}

interface Running {
  app?: INestApplicationContext;
  metrics?: MetricsService;
  server?: WorkerMetricsServer | null;
}

/** Binds the metrics port before anything connects, so a taken port stops the worker before it leases a job. */
async function metricsServerOrExit(
  config: WorkerConfig,
  workerId: string,
  logger: Logger,
  running: Running,
): Promise<WorkerMetricsServer | null> {
  const { NEXUS_WORKER_METRICS_HOST: host, NEXUS_WORKER_METRICS_PORT: port } = config;
  if (port === 0) {
    logger.log('Metrics server off (NEXUS_WORKER_METRICS_PORT=0)');
    return null;
  }
  try {
    const server = await startWorkerMetricsServer({
      host,
      port,
      workerId,
      metrics: () => running.metrics ?? null,
      onError: (error) => logger.warn(`Metrics server: ${error.message}`),
    });
    logger.log(`Metrics on http://${host}:${server.port}/metrics and /healthz`);
    return server;
  } catch (error) {
    if (!(error instanceof MetricsListenError)) throw error;
    logger.error(error.message);
    process.stderr.write(`Configuration error: ${error.message}\n`);
    process.exit(EXIT_CONFIG);
  }
}

async function main(): Promise<void> {
  // A reader that went away (closed pipe) must neither crash nor hang the worker.
  ignoreClosedStdio();
  const flags = flagsOrExit();
  const config = loadConfigOrExit(WorkerConfig);
  const workerId = createWorkerId();
  const nestLogger = new NestPinoLogger(createLogger('worker', config.LOG_LEVEL).child({ workerId }));
  Logger.overrideLogger(nestLogger);
  const logger = new Logger('Worker');
  logger.log({ msg: 'Configuration loaded', config: describeConfig(config) });
  const running: Running = {};
  // One close for SIGTERM and the end of a bounded run: the metrics server first, then the context (drain, pools).
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await running.server?.close();
      await running.app?.close();
    })());
  // Installed before the context exists: a stop while waiting for a dependency is clean too.
  installShutdownSignals({ logger, graceMs: config.NEXUS_SHUTDOWN_GRACE_MS, close });
  running.server = await metricsServerOrExit(config, workerId, logger, running);
  const jobBudget = jobBudgetOf(flags);
  running.app = await NestFactory.createApplicationContext(
    WorkerModule.forRoot(config, { workerId, concurrency: flags.concurrency, jobBudget }),
    { logger: nestLogger, abortOnError: false },
  );
  running.metrics = running.app.get(MetricsService);
  logger.log(`Nexus worker ${workerId} started`);
  if (jobBudget !== null) {
    // --once / --max-jobs: a run that did its work (or found none) succeeded; a failure throws to the catch below.
    const count = await running.app.get(JobWorkerHost).finished;
    await close();
    logger.log(`Processed ${count} job(s); exiting`);
    process.exit(0);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `Nexus worker failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
