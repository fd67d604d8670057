import type { LoggerService } from '@nestjs/common';
import { drainStdout } from '../logging/stdio';

export interface ShutdownOptions {
  logger: LoggerService;
  /** Longest the graceful part may take before the process exits anyway. */
  graceMs: number;
  /** Stops taking work, finishes what is in flight, closes pools. */
  close: () => Promise<void>;
  exit?: (code: number) => void;
  /** Waits for the log output to be written before the exit (default: stdout, at most DRAIN_MS). */
  drain?: () => Promise<void>;
}

/** How much longer than the grace period close() may take before the forced exit. */
const FORCED_EXIT_MARGIN_MS = 5_000;
/** Longest the exit waits for the last log lines (a reader that stopped reading must not hold it). */
// 3 s: a reader busy elsewhere (a loaded CI machine) can leave the pipe full for over a second.
const DRAIN_MS = 3_000;

/**
 * SIGTERM / SIGINT: run `close` once, then exit 0. A second signal, or a close
 * that outlives the grace period plus a margin, exits at once.
 *
 * The forced exit is armed before anything else runs and no log call can stop an
 * exit: a process whose output went away (a closed pipe) must still end.
 */
export function installShutdownSignals(options: ShutdownOptions): void {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const drain = options.drain ?? (() => drainStdout(DRAIN_MS));
  const log = (level: 'log' | 'warn' | 'error', message: unknown): void => {
    try {
      options.logger[level](message);
    } catch {
      // The line is lost; the exit must not be.
    }
  };
  let closing = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) {
      log('warn', `${signal} received again: exiting now`);
      exit(1);
      return;
    }
    closing = true;
    const forced = setTimeout(() => {
      log('error', `Shutdown did not finish within ${options.graceMs} ms; exiting`);
      exit(1);
    }, options.graceMs + FORCED_EXIT_MARGIN_MS);
    forced.unref();
    log('log', `${signal} received: shutting down (grace ${options.graceMs} ms)`);
    // After the last line is out ("Shutdown complete" was lost at exit on a busy machine).
    const finish = (code: number) => {
      void drain()
        .catch(() => undefined)
        .then(() => {
          clearTimeout(forced);
          exit(code);
        });
    };
    // A close() that throws instead of rejecting fails the shutdown the same way.
    void new Promise<void>((resolve) => resolve(options.close())).then(
      () => {
        log('log', 'Shutdown complete');
        finish(0);
      },
      (error: unknown) => {
        log('error', { msg: 'Shutdown failed', err: error });
        finish(1);
      },
    );
  };
  process.on('SIGTERM', onSignal).on('SIGINT', onSignal);
}
