/**
 * Fault: Redis loses the queue (a flush, a restart without persistence) after
 * jobs were committed and published. Postgres is the source of truth: the outbox
 * sweeper re-publishes due rows whose delivery is gone, and every job still runs
 * exactly once. (Only this script's own queue keys are removed; the shared Redis
 * keeps serving everyone else.) Takes about 40 s: lost deliveries are re-published
 * 30 s after they were due.
 *   npm run chaos:jobs-redis-loss
 */
import { Queue } from 'bullmq';
import { SCRIPT_JOBS, report, sleep, startChaosStack, statusCounts } from './lib';

const JOBS = 20;

async function main(): Promise<void> {
  const stack = await startChaosStack('redisloss');
  try {
    for (let i = 0; i < JOBS; i++) await stack.submit({ type: 'system.noop', payload: {} });
    const queue = new Queue(stack.env.NEXUS_JOBS_QUEUE ?? '', {
      connection: { host: '127.0.0.1', port: 6379 },
    });
    const before = await queue.getJobCounts('waiting', 'delayed');
    await queue.obliterate({ force: true });
    await queue.close();
    await stack.startWorker({ NEXUS_JOB_SWEEP_INTERVAL_MS: '1000' });
    const deadline = Date.now() + 120_000;
    let counts: Record<string, number> = {};
    while (Date.now() < deadline) {
      counts = await statusCounts(stack.db);
      if ((counts.succeeded ?? 0) === JOBS) break;
      await sleep(500);
    }
    const { rows } = await stack.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${SCRIPT_JOBS} AND attempt_count <> 1`,
    );
    const doubleRuns = rows[0]?.n ?? -1;
    report(
      `chaos jobs.redis_loss jobs=${JOBS} deliveries_lost=${(before.waiting ?? 0) + (before.delayed ?? 0)} succeeded=${counts.succeeded ?? 0} double_runs=${doubleRuns}`,
      (counts.succeeded ?? 0) === JOBS && doubleRuns === 0,
    );
  } finally {
    await stack.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
