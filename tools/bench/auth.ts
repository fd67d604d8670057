/**
 * Auth overhead: authenticated GET /api/v1/auth/whoami vs the public
 * GET /api/v1/auth/schemes on one API process, in alternating rounds of the same
 * run. Both go through the same pipeline (guard, rate limiter, X-RateLimit
 * headers, a small JSON body); only whoami authenticates a credential, so the
 * difference is what authentication costs. Target: ≤ 15 % of throughput.
 * /healthz (no guard work, no limiter) is reported for reference.
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
    // Neither side may hit its limit during the run: both still count every request.
    NEXUS_RATE_LIMIT_ANONYMOUS: '100000000',
  });
  try {
    const [, adminKey] = await api.waitForOutput(
      /Bootstrap superuser key created \(shown once, store it now\): (\S+?)"/,
    );
    const base = `http://127.0.0.1:${port}`;
    await waitForHealth(base);
    const created = await fetch(`${base}/api/v1/auth/keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'bench',
        subjectType: 'agent',
        subjectId: 'bench',
        role: 'viewer',
        rateLimitPerMinute: 1_000_000,
      }),
    });
    const { key } = (await created.json()) as { key: string };
    const authed = { url: `${base}/api/v1/auth/whoami`, headers: { authorization: `Bearer ${key}` } };
    const open = { url: `${base}/api/v1/auth/schemes`, headers: {} };

    // Warm both paths (JIT, key cache, pool, rate-limit blocks).
    for (const target of [open, authed]) {
      await runHttpLoad(target.url, { concurrency: CONCURRENCY, durationMs: 1_000, headers: target.headers });
    }

    // Alternating rounds; each round's ratio compares neighbours in time, and the
    // median of those ratios resists the noise of a shared machine.
    const openRps: number[] = [];
    const authedRps: number[] = [];
    const healthRps: number[] = [];
    const ratios: number[] = [];
    let errors = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const baseline = await runHttpLoad(open.url, { concurrency: CONCURRENCY, durationMs: ROUND_MS });
      const measured = await runHttpLoad(authed.url, {
        concurrency: CONCURRENCY,
        durationMs: ROUND_MS,
        headers: authed.headers,
      });
      const health = await runHttpLoad(`${base}/healthz`, {
        concurrency: CONCURRENCY,
        durationMs: ROUND_MS / 2,
      });
      openRps.push(baseline.requestsPerSecond);
      authedRps.push(measured.requestsPerSecond);
      healthRps.push(health.requestsPerSecond);
      ratios.push(measured.requestsPerSecond / baseline.requestsPerSecond);
      errors += baseline.errors + measured.errors + health.errors;
    }
    const ratio = median(ratios);
    const cost = 1 - ratio;
    process.stdout.write(
      `bench auth.whoami_vs_public authed_rps=${median(authedRps).toFixed(0)} public_rps=${median(openRps).toFixed(0)} ` +
        `healthz_rps=${median(healthRps).toFixed(0)} ratio=${ratio.toFixed(3)} auth_cost=${(cost * 100).toFixed(1)}% ` +
        `errors=${errors} target=cost<=15% ${cost <= 0.15 && errors === 0 ? 'PASS' : 'FAIL'}\n`,
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
