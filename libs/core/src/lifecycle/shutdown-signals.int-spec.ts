import { join } from 'node:path';
import { startNexusProcess } from '../testing/nexus-process';

const FIXTURE = join(__dirname, 'testing', 'closed-stdio-process.ts');
const GRACE_MS = 1_000;
/** installShutdownSignals exits at the latest this long after the signal. */
const FORCED_EXIT_MS = GRACE_MS + 5_000;

/**
 * The reader of stdout and stderr goes away (`npm start | head`, a restarted
 * supervisor) or stops reading, then the process is told to stop: it must exit all
 * the same.
 */
async function stopAfterReaderLeft(
  mode: 'busy' | 'quiet' | 'hang',
  reader: 'closed' | 'stuck' = 'closed',
): Promise<{ code: number; elapsedMs: number }> {
  const fixture = startNexusProcess(FIXTURE, { FIXTURE_MODE: mode, FIXTURE_GRACE_MS: String(GRACE_MS) });
  try {
    await fixture.waitForOutput(/"msg":"ready"/);
    if (reader === 'closed') {
      fixture.child.stdout?.destroy();
      fixture.child.stderr?.destroy();
    } else {
      fixture.child.stdout?.pause();
      fixture.child.stderr?.pause();
      // Long enough for the loop to fill the pipe.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    const started = Date.now();
    fixture.child.kill('SIGTERM');
    // A little slack over the forced exit for process start-up noise, no more.
    const code = await fixture.exited(FORCED_EXIT_MS + 2_000);
    return { code, elapsedMs: Date.now() - started };
  } finally {
    if (fixture.child.exitCode === null && fixture.child.signalCode === null) fixture.child.kill('SIGKILL');
    fixture.child.stdout?.destroy();
    fixture.child.stderr?.destroy();
  }
}

describe('installShutdownSignals with the stdout logger, after the output reader went away', () => {
  it('exits 0 after a close that logs in bursts while the process logs in a loop', async () => {
    const { code, elapsedMs } = await stopAfterReaderLeft('busy');

    expect(code).toBe(0);
    expect(elapsedMs).toBeLessThan(FORCED_EXIT_MS);
  });

  it('exits 0 when the first lines after the reader left are logged right before the exit', async () => {
    const { code, elapsedMs } = await stopAfterReaderLeft('quiet');

    expect(code).toBe(0);
    expect(elapsedMs).toBeLessThan(FORCED_EXIT_MS);
  });

  it('exits 0 when the reader stopped reading and the pipe is full', async () => {
    const { code, elapsedMs } = await stopAfterReaderLeft('busy', 'stuck');

    expect(code).toBe(0);
    expect(elapsedMs).toBeLessThan(FORCED_EXIT_MS);
  });

  it('exits 1 after the grace period plus margin when close never settles', async () => {
    const { code, elapsedMs } = await stopAfterReaderLeft('hang');

    expect(code).toBe(1);
    expect(elapsedMs).toBeGreaterThanOrEqual(FORCED_EXIT_MS - 100);
    expect(elapsedMs).toBeLessThan(FORCED_EXIT_MS + 2_000);
  });
});
