import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import {
  ApiConfig,
  describeConfig,
  ignoreClosedStdio,
  installShutdownSignals,
  loadConfigOrExit,
} from '@nexus/core';
import { createApiApp } from './bootstrap/create-api-app';

async function main(): Promise<void> {
  // Before anything writes: a reader that went away must not crash or hang the shutdown.
  ignoreClosedStdio();
  const config = loadConfigOrExit(ApiConfig);
  const app = await createApiApp(config);
  const logger = new Logger('Api');
  logger.log({ msg: 'Configuration loaded', config: describeConfig(config) });
  installShutdownSignals({
    logger,
    graceMs: config.NEXUS_SHUTDOWN_GRACE_MS,
    // Nest stops the HTTP server first (in-flight requests finish), then closes the
    // pools; requests still running when the grace period ends are cut off.
    close: async () => {
      const cutOff = setTimeout(() => app.getHttpServer().closeAllConnections(), config.NEXUS_SHUTDOWN_GRACE_MS);
      try {
        await app.close();
      } finally {
        clearTimeout(cutOff);
      }
    },
  });
  await app.listen({ host: config.NEXUS_HOST, port: config.NEXUS_PORT });
  logger.log(`Nexus API listening on ${await app.getUrl()} (OpenAPI at /docs)`);
}

main().catch((error: unknown) => {
  try {
    process.stderr.write(
      `Nexus API failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  } finally {
    process.exit(1);
  }
});
