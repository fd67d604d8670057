/**
 * Run by shutdown-signals.int-spec.ts as a process whose stdout and stderr readers go
 * away. FIXTURE_MODE:
 * - busy: logs in a loop; on SIGTERM closes in steps that each log a burst;
 * - quiet: logs nothing until SIGTERM, then a burst, then closes at once (the first
 *   lines after the reader went away are the last before the exit);
 * - hang: logs in a loop; close() never settles.
 */
import { createLogger, ignoreClosedStdio, NestPinoLogger } from '../../logging/logger';
import { installShutdownSignals } from '../shutdown-signals';

const mode = process.env.FIXTURE_MODE ?? 'busy';
const graceMs = Number(process.env.FIXTURE_GRACE_MS ?? 1_000);

ignoreClosedStdio();
const logger = new NestPinoLogger(createLogger('fixture', 'info'));
const burst = (what: string) => {
  for (let i = 0; i < 50; i++) logger.log(`${what} ${i}`);
  process.stderr.write(`${what}\n`);
};
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

installShutdownSignals({
  logger,
  graceMs,
  close: async () => {
    if (mode === 'hang') return new Promise<void>(() => undefined);
    if (mode === 'busy') {
      for (let step = 0; step < 5; step++) {
        burst(`closing step ${step}`);
        await pause(50);
      }
    }
    burst('closed');
  },
});

logger.log('ready');
// Keeps the process alive in every mode, as servers and pools do.
setInterval(() => {
  if (mode !== 'quiet') burst('tick');
}, 5);
