import { sideEffectProbe } from './side-effect-probe';
import { relayTestConfig, startRelayContext } from './relay-test-kit';

/** A relay in a process of its own, for the crash test to kill (see sideEffectProbe). */
async function main(): Promise<void> {
  const probe = sideEffectProbe(
    process.env.RELAY_SIDE_EFFECT_FILE ?? '',
    Number(process.env.RELAY_BATCH_HOLD_MS ?? 0),
  );
  const config = relayTestConfig(process.env.DATABASE_URL ?? '', {
    NEXUS_EVENT_RELAY_BATCH_SIZE: '10',
    // One batch at a time: at the kill exactly one is in flight.
    NEXUS_EVENT_RELAY_CONCURRENCY: '1',
  });
  await startRelayContext(config, probe);
  process.stdout.write('RELAY_READY\n');
}

main().catch((error: unknown) => {
  process.stderr.write(
    `relay child failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
