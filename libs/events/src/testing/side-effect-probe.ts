import { appendFileSync } from 'node:fs';
import { RelayProbe } from './relay-test-domain';

/**
 * A probe whose every batch appends `consumer position id` lines to `file` (a
 * side effect outside the transaction: it stays when the batch rolls back),
 * says IN_BATCH on stdout (`announce`), then holds the batch open `holdMs` before it commits.
 */
export function sideEffectProbe(file: string, holdMs: number, announce = true): RelayProbe {
  const probe = new RelayProbe();
  probe.hook = async (batch) => {
    appendFileSync(
      file,
      batch.events.map((event) => `${batch.consumer} ${event.position} ${event.id}\n`).join(''),
    );
    if (announce)
      process.stdout.write(
        `IN_BATCH ${batch.consumer} ${batch.events[0]?.position}-${batch.events.at(-1)?.position}\n`,
      );
    if (holdMs > 0) await new Promise((resolve) => setTimeout(resolve, holdMs));
  };
  return probe;
}
