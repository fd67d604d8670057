/**
 * Fault: a worker is killed (SIGKILL) while it runs jobs. Another worker's
 * stale-lease sweeper must move every orphaned job to retry_wait, audit the dead
 * worker as the original lease owner, and run it again: all jobs succeed, none is
 * lost or completed twice.
 *   npm run chaos:jobs-worker-crash
 */
import { SCRIPT_JOBS, report, sleep, startChaosStack, statusCounts } from './lib';

const JOBS = 12;

async function main(): Promise<void> {
  const stack = await startChaosStack('crash');
  try {
    const fast = {
      NEXUS_JOB_LEASE_MS: '1500',
      NEXUS_JOB_SWEEP_INTERVAL_MS: '300',
      RETRY_BACKOFF_SECONDS: '0',
    };
    const victim = await stack.startWorker(fast);
    for (let i = 0; i < JOBS; i++) await stack.submit({ type: 'system.noop', payload: { sleepMs: 2_000 } });
    let running = 0;
    for (let i = 0; i < 100 && running === 0; i++) {
      running = (await statusCounts(stack.db)).running ?? 0;
      await sleep(100);
    }
    await victim.process.stop('SIGKILL');
    const rescuer = await stack.startWorker(fast);
    const deadline = Date.now() + 90_000;
    let counts: Record<string, number> = {};
    while (Date.now() < deadline) {
      counts = await statusCounts(stack.db);
      if ((counts.succeeded ?? 0) === JOBS) break;
      await sleep(200);
    }
    const { rows } = await stack.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'stale_lease_recovery'
         AND details->>'originalLeaseOwner' = $1 AND details->>'recoveringWorker' = $2`,
      [victim.workerId, rescuer.workerId],
    );
    const recovered = rows[0]?.n ?? 0;
    // No job lost or duplicated (one row each), and each completed once: by its last attempt, at most one re-run.
    const { rows: check } = await stack.db.query<{ total: number; odd: number }>(
      `SELECT count(*)::int AS total,
              count(*) FILTER (WHERE attempt_count > 2 OR (result->>'attempt')::int IS DISTINCT FROM attempt_count)::int AS odd FROM ${SCRIPT_JOBS}`,
    );
    const total = check[0]?.total ?? -1;
    const odd = check[0]?.odd ?? -1;
    report(
      `chaos jobs.worker_crash jobs=${JOBS} running_at_kill=${running} recovered_and_audited=${recovered} succeeded=${counts.succeeded ?? 0} ` +
        `rows=${total} completed_twice_or_odd=${odd}`,
      (counts.succeeded ?? 0) === JOBS && running > 0 && recovered >= running && total === JOBS && odd === 0,
    );
  } finally {
    await stack.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
