import type { LoggerService } from '@nestjs/common';

export interface ShutdownOptions {
  logger: LoggerService;
  /** Longest the graceful part may take before the process exits anyway. */
  graceMs: number;
  /** Stops taking work, finishes what is in flight, closes pools. */
  close: () => Promise<void>;
  exit?: (code: number) => void;
}

/**
 * SIGTERM / SIGINT: run `close` once, then exit 0. A second signal, or a close
 * that outlives the grace period plus a margin, exits at once.
 */
export function installShutdownSignals(options: ShutdownOptions): void {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let closing = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) {
      options.logger.warn(`${signal} received again: exiting now`);
      exit(1);
      return;
    }
    closing = true;
    options.logger.log(`${signal} received: shutting down (grace ${options.graceMs} ms)`);
    const forced = setTimeout(() => {
      options.logger.error(`Shutdown did not finish within ${options.graceMs} ms; exiting`);
      exit(1);
    }, options.graceMs + 5_000);
    forced.unref();
    options
      .close()
      .then(() => {
        options.logger.log('Shutdown complete');
        exit(0);
      })
      .catch((error: unknown) => {
        options.logger.error({ msg: 'Shutdown failed', err: error });
        exit(1);
      });
  };
  process.on('SIGTERM', onSignal).on('SIGINT', onSignal);
}
