/**
 * The permission engine over HTTP, on one API process:
 * - check_vs_healthz: POST /api/v1/rebac/check (a cached, allowed check through a
 *   group and a parent) vs GET /healthz in alternating rounds of the same run.
 *   Target: check throughput ≥ 40 % of healthz.
 * - inflight_10k: 10,000 checks (cold cache, half allowed) sent at once over 200
 *   keep-alive connections (50 outstanding per connection), against the same kind
 *   of cold checks at 32 in flight measured just before and just after the burst.
 *   Every answer must be 200 with the expected result, or a 503 with Retry-After
 *   (shed by admission control: counted apart, not an error). Latency counts from
 *   send, queueing included: the client's agent holds what its 200 sockets cannot
 *   carry yet, so the API sees 200 at a time and p99 tracks wall time (10,000 /
 *   throughput). Target: ≥ 75 % of the 32-in-flight throughput, p99 ≤ 5 s, 0 errors.
 *   npm run bench:rebac-http
 */
import { mkdtempSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startNexusProcess } from '@nexus/core/testing';
import { createTestDatabase } from '@nexus/storage-models/testing';
import { median, runHttpLoad, waitForHealth } from './lib/http-load';

const ROUNDS = 3;
const ROUND_MS = 3_000;
const CONCURRENCY = 32;
const INFLIGHT = 10_000;
const CONNECTIONS = 200;
const USERS = 5_000;
const FILES = 100;

interface Tuple {
  object: { type: string; id: string };
  relation: string;
  subject: { type: string; id: string; relation?: string };
}

const t = (objectType: string, objectId: string, relation: string, subject: Tuple['subject']): Tuple => ({
  object: { type: objectType, id: objectId },
  relation,
  subject,
});

async function post(
  base: string,
  path: string,
  key: string,
  body: unknown,
): Promise<Record<string, unknown>> {
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as Record<string, unknown>;
  if (response.status >= 300) throw new Error(`${path}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

async function seed(base: string, operatorKey: string): Promise<void> {
  const files = Array.from({ length: FILES }, (_, i) =>
    t('file', `/bench/f${i}`, 'parent', { type: 'file', id: '/bench' }),
  );
  await post(base, '/api/v1/rebac/tuples', operatorKey, {
    writes: [...files, t('file', '/bench', 'viewer', { type: 'group', id: 'readers', relation: 'member' })],
  });
  // Users u0…u2499 are readers; u2500…u4999 are not.
  for (let start = 0; start < USERS / 2; start += 1_000) {
    const writes = Array.from({ length: Math.min(1_000, USERS / 2 - start) }, (_, i) =>
      t('group', 'readers', 'member', { type: 'user', id: `u${start + i}` }),
    );
    await post(base, '/api/v1/rebac/tuples', operatorKey, { writes });
  }
}

interface BurstResult {
  errors: number;
  /** 503 answers with Retry-After: load shed on purpose. */
  shed: number;
  seconds: number;
  latencies: number[];
}

/** Sends every body at once over `connections` keep-alive sockets; checks each answer. */
async function burst(url: string, key: string, bodies: string[], expected: boolean[]): Promise<BurstResult> {
  const target = new URL(url);
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS, maxFreeSockets: CONNECTIONS });
  const latencies: number[] = [];
  let errors = 0;
  let shed = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    bodies.map(
      (body, index) =>
        new Promise<void>((resolve) => {
          const sent = process.hrtime.bigint();
          const req = request(
            {
              agent,
              host: target.hostname,
              port: target.port,
              path: target.pathname,
              method: 'POST',
              headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
            },
            (res) => {
              const chunks: Buffer[] = [];
              res.on('data', (chunk: Buffer) => chunks.push(chunk));
              res.on('end', () => {
                if (res.statusCode === 503 && res.headers['retry-after'] !== undefined) {
                  shed++;
                  return resolve();
                }
                const ok =
                  res.statusCode === 200 &&
                  (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { allowed?: unknown }).allowed ===
                    expected[index];
                if (ok) latencies.push(Number(process.hrtime.bigint() - sent) / 1e6);
                else errors++;
                resolve();
              });
            },
          );
          req.on('error', () => {
            errors++;
            resolve();
          });
          req.end(body);
        }),
    ),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { errors, shed, seconds, latencies };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}


async function main(): Promise<void> {
  const database = await createTestDatabase('nexus_bench_rebac_http');
  const port = await freePort();
  const api = startNexusProcess('apps/api/src/main.ts', {
    DATABASE_URL: database.url,
    NEXUS_PORT: String(port),
    LOG_LEVEL: 'warn',
    NEXUS_DATA_DIR: mkdtempSync(join(tmpdir(), 'nexus-bench-rebac-http-')),
    NEXUS_JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0123',
  });
  try {
    const [, adminKey] = await api.waitForOutput(
      /Bootstrap superuser key created \(shown once, store it now\): (\S+?)"/,
    );
    // "Nexus API listening" is an info line, below LOG_LEVEL=warn (kept so requests are not logged).
    const base = `http://127.0.0.1:${port}`;
    await waitForHealth(base);
    const keyOf = async (role: string) =>
      (
        await post(base, '/api/v1/auth/keys', adminKey ?? '', {
          name: `bench ${role}`,
          subjectType: 'agent',
          subjectId: `bench-${role}`,
          role,
          rateLimitPerMinute: 1_000_000,
        })
      ).key as string;
    const viewerKey = await keyOf('viewer');
    await seed(base, await keyOf('operator'));

    const checkUrl = `${base}/api/v1/rebac/check`;
    const hot = JSON.stringify(t('file', '/bench/f7', 'viewer', { type: 'user', id: 'u7' }));
    const checkLoad = {
      concurrency: CONCURRENCY,
      method: 'POST',
      body: hot,
      headers: { authorization: `Bearer ${viewerKey}` },
    };
    await runHttpLoad(`${base}/healthz`, { concurrency: CONCURRENCY, durationMs: 1_000 });
    await runHttpLoad(checkUrl, { ...checkLoad, durationMs: 1_000 });
    const open: number[] = [];
    const checks: number[] = [];
    let errors = 0;
    let p99 = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const baseline = await runHttpLoad(`${base}/healthz`, {
        concurrency: CONCURRENCY,
        durationMs: ROUND_MS,
      });
      const measured = await runHttpLoad(checkUrl, { ...checkLoad, durationMs: ROUND_MS });
      open.push(baseline.requestsPerSecond);
      checks.push(measured.requestsPerSecond);
      errors += baseline.errors + measured.errors;
      p99 = Math.max(p99, measured.p99Ms);
    }
    const ratio = median(checks) / median(open);
    process.stdout.write(
      `bench rebac_http.check_vs_healthz check_rps=${median(checks).toFixed(0)} healthz_rps=${median(open).toFixed(0)} ` +
        `ratio=${(ratio * 100).toFixed(1)}% check_p99_ms=${p99.toFixed(1)} concurrency=${CONCURRENCY} errors=${errors} ` +
        `target=ratio>=40% ${ratio >= 0.4 && errors === 0 ? 'PASS' : 'FAIL'}\n`,
    );

    // The burst's checks pair file f(u mod 100) with user u; the baseline's never do, so both stay cold.
    let coldIndex = 0;
    const coldCheck = () => {
      const index = coldIndex++;
      const user = index % USERS;
      const file = (user + 1 + (Math.floor(index / USERS) % (FILES - 1))) % FILES;
      return JSON.stringify(t('file', `/bench/f${file}`, 'viewer', { type: 'user', id: `u${user}` }));
    };
    const coldLoad = { ...checkLoad, nextBody: coldCheck, durationMs: ROUND_MS };
    const before = await runHttpLoad(checkUrl, coldLoad);

    const bodies: string[] = [];
    const expected: boolean[] = [];
    for (let i = 0; i < INFLIGHT; i++) {
      const user = i % USERS;
      bodies.push(
        JSON.stringify(t('file', `/bench/f${i % FILES}`, 'viewer', { type: 'user', id: `u${user}` })),
      );
      expected.push(user < USERS / 2);
    }
    const result = await burst(checkUrl, viewerKey, bodies, expected);
    const after = await runHttpLoad(checkUrl, coldLoad);
    // Measured on both sides of the burst: a machine busy with other work moves both alike.
    const baselineRps = (before.requestsPerSecond + after.requestsPerSecond) / 2;
    const { latencies } = result;
    const checksPerSecond = latencies.length / result.seconds;
    const inflightRatio = checksPerSecond / baselineRps;
    const p99Ms = percentile(latencies, 99);
    const baselineErrors = before.errors + after.errors;
    const pass = inflightRatio >= 0.75 && p99Ms <= 5_000 && result.errors === 0 && baselineErrors === 0;
    process.stdout.write(
      `bench rebac_http.inflight_10k checks=${INFLIGHT} connections=${CONNECTIONS} outstanding_per_connection=${INFLIGHT / CONNECTIONS} ` +
        `answered=${latencies.length} shed_503=${result.shed} errors=${result.errors} ` +
        `checks_per_s=${checksPerSecond.toFixed(0)} cold_32_inflight_checks_per_s=${baselineRps.toFixed(0)} ` +
        `ratio_vs_32_inflight=${(inflightRatio * 100).toFixed(1)}% ` +
        `ratio_vs_hot_check=${((checksPerSecond / median(checks)) * 100).toFixed(1)}% ` +
        `p50_ms=${percentile(latencies, 50).toFixed(0)} p95_ms=${percentile(latencies, 95).toFixed(0)} ` +
        `p99_ms=${p99Ms.toFixed(0)} wall_s=${result.seconds.toFixed(2)} baseline_errors=${baselineErrors} ` +
        `target=ratio>=75%,p99<=5000ms,errors=0 ${pass ? 'PASS' : 'FAIL'}\n`,
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
