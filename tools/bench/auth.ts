/**
 * Auth overhead: authenticated GET /api/v1/auth/whoami vs the unauthenticated
 * GET /healthz (same trivial work: a small JSON body) on one API process, in
 * alternating rounds of the same run. Target: auth costs ≤ 15 % of throughput.
 *   npm run bench:auth
 */
import { freePort, startNexusProcess } from '@nexus/core/testing';
import { createTestDatabase } from '@nexus/storage-models/testing';
import { median, runHttpLoad, waitForHealth } from './lib/http-load';

const ROUNDS = 7;
const ROUND_MS = 2_000;
const CONCURRENCY = 32;

async function main(): Promise<void> {
  const database = await createTestDatabase('nexus_bench_auth');
  const port = await freePort();
  const api = startNexusProcess('apps/api/src/main.ts', {
    DATABASE_URL: database.url,
    NEXUS_PORT: String(port),
    LOG_LEVEL: 'warn',
    NEXUS_JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0123',
  });
  try {
    const [, adminKey] = await api.waitForOutput(/Bootstrap superuser key created \(shown once, store it now\): (\S+?)"/);
    const base = `http://127.0.0.1:${port}`;
    await waitForHealth(base);
    // A key whose own limit the benchmark cannot reach.
    const created = await fetch(`${base}/api/v1/auth/keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'bench', subjectType: 'agent', subjectId: 'bench', role: 'viewer', rateLimitPerMinute: 1_000_000 }),
    });
    const { key } = (await created.json()) as { key: string };
    const authHeaders = { authorization: `Bearer ${key}` };

    // Warm both paths (JIT, key cache, pool).
    await runHttpLoad(`${base}/healthz`, { concurrency: CONCURRENCY, durationMs: 1_000 });
    await runHttpLoad(`${base}/api/v1/auth/whoami`, { concurrency: CONCURRENCY, durationMs: 1_000, headers: authHeaders });

    // Alternating rounds; each round's ratio compares neighbours in time, and the
    // median of those ratios resists the noise of a shared machine.
    const open: number[] = [];
    const authed: number[] = [];
    const ratios: number[] = [];
    let errors = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const baseline = await runHttpLoad(`${base}/healthz`, { concurrency: CONCURRENCY, durationMs: ROUND_MS });
      const measured = await runHttpLoad(`${base}/api/v1/auth/whoami`, {
        concurrency: CONCURRENCY,
        durationMs: ROUND_MS,
        headers: authHeaders,
      });
      open.push(baseline.requestsPerSecond);
      authed.push(measured.requestsPerSecond);
      ratios.push(measured.requestsPerSecond / baseline.requestsPerSecond);
      errors += baseline.errors + measured.errors;
    }
    const ratio = median(ratios);
    const cost = 1 - ratio;
    process.stdout.write(
      `bench auth.whoami_vs_healthz authed_rps=${median(authed).toFixed(0)} open_rps=${median(open).toFixed(0)} ` +
        `ratio=${ratio.toFixed(3)} auth_cost=${(cost * 100).toFixed(1)}% errors=${errors} target=cost<=15% ` +
        `${cost <= 0.15 && errors === 0 ? 'PASS' : 'FAIL'}\n`,
    );
  } finally {
    await api.stop();
    await database.drop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
