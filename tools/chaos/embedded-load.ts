/**
 * Load: many tenants at once on `npm start` (tools/launcher/main.ts), once on the
 * embedded PostgreSQL server and once on a PostgreSQL server of its own
 * (DATABASE_URL), with the same workload. Each of LOAD_CLIENTS clients loops for
 * LOAD_SECONDS doing what a new tenant does: create a zone (superuser key), a
 * user in it, an admin API key for that zone, write a permission model, write
 * tuples, then ask fully consistent checks whose answers are known. Prints one
 * `load <target>: …` line per target and, when both ran, the ratio of embedded to
 * server checks per second. Exits non-zero on any wrong answer, any 5xx, any
 * other error (timeouts included), any request taking 10 s or more, a launcher
 * that does not exit 0 within 30 s of SIGTERM, or (unless LOAD_RATIO_GATE=off) a
 * ratio below 0.80. The tenant workload itself is in ./load-tenant.ts.
 *   npm run chaos:embedded-load
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { freePort, startNexusProcess } from '@nexus/core/testing';
import type { NexusProcess } from '@nexus/core/testing';
import { createTestDatabase } from '@nexus/storage-models/testing';
import type { TestDatabase } from '@nexus/storage-models/testing';
import { waitForHealth } from '../bench/lib/http-load';
import { errorText, newStats, runTenant } from './load-tenant';
import type { Client, Stats } from './load-tenant';

const USAGE = `Usage: SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register tools/chaos/embedded-load.ts
       npm run chaos:embedded-load

Starts the launcher (tools/launcher/main.ts) on a fresh data directory, once with the
embedded PostgreSQL server (no DATABASE_URL) and once with a fresh database on the
local PostgreSQL server (127.0.0.1:5432, see TEST_DATABASE_URL), and runs the same
multi-tenant workload against each: LOAD_CLIENTS clients, each looping over
create zone -> create user -> create admin key -> write model -> write tuples ->
fully consistent checks with known answers.

Environment:
  LOAD_SECONDS   how long each target is loaded (default 60)
  LOAD_CLIENTS   concurrent clients (default 32)
  LOAD_TARGET    both (default) | embedded | server
  LOAD_RATIO_GATE  on (default): a ratio below 0.80 fails the run; off: the ratio is
                 only reported (CI, where other jobs share the machine)

Prints one line per target:
  load <target>: tenants=N checks=N wrong=N errors5xx=N other=N slowest_ms=N checks_per_s=X
and, when both ran:
  bench embedded_vs_server: <embedded checks/s / server checks/s> (goal >= 0.80)
Exits 1 on a wrong answer, a 5xx, any other error (30 s request timeout included),
a request taking 10 s or more, a launcher not exiting 0 within 30 s of SIGTERM, or
(LOAD_RATIO_GATE=on) a ratio below 0.80; 2 on bad arguments.
`;

const LAUNCHER = 'tools/launcher/main.ts';
const SLOW_REQUEST_MS = 10_000;
const PROGRESS_MS = 10_000;
const STOP_TIMEOUT_MS = 30_000;
const RATIO_GOAL = 0.8;
const HUGE_RATE_LIMIT = '100000000';

type Target = 'embedded' | 'server';

const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

let interrupted = false;

interface LoadResult {
  stats: Stats;
  seconds: number;
  checksPerSecond: number;
}

async function runLoad(
  target: Target,
  base: string,
  superuserKey: string,
  seconds: number,
  clients: number,
): Promise<LoadResult> {
  const stats = newStats();
  const runId = randomBytes(3).toString('hex');
  const started = performance.now();
  const deadline = Date.now() + seconds * 1000;
  const progress = setInterval(() => {
    const at = ((performance.now() - started) / 1000).toFixed(0);
    out(`progress ${target}: ${at}s tenants=${stats.tenants} checks=${stats.checks}`);
  }, PROGRESS_MS);
  try {
    await Promise.all(
      Array.from({ length: clients }, async (_, index) => {
        const client: Client = { base, superuserKey, stats, runId, index };
        for (let serial = 0; Date.now() < deadline && !interrupted; serial++) {
          if (await runTenant(client, serial)) stats.tenants++;
        }
      }),
    );
  } finally {
    clearInterval(progress);
  }
  const elapsed = (performance.now() - started) / 1000;
  return { stats, seconds: elapsed, checksPerSecond: stats.checks / elapsed };
}

/** Every process below `pid` (from /proc), so a launcher that must be killed takes its children along. */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
      } catch {
        // The process ended meanwhile.
      }
    }
  } catch {
    return [];
  }
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift() ?? -1) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

function forceKill(launcher: NexusProcess): void {
  const pid = launcher.child.pid;
  if (pid === undefined || launcher.child.exitCode !== null || launcher.child.signalCode !== null) return;
  const below = descendants(pid);
  launcher.child.kill('SIGKILL');
  for (const child of below) {
    try {
      process.kill(child, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

interface TargetResult {
  target: Target;
  load?: LoadResult;
  failures: string[];
}

async function runTarget(target: Target, seconds: number, clients: number): Promise<TargetResult> {
  const failures: string[] = [];
  const dataDir = await mkdtemp(join(tmpdir(), `nexus-embedded-load-${target}-`));
  let database: TestDatabase | undefined;
  let launcher: NexusProcess | undefined;
  let load: LoadResult | undefined;
  try {
    if (target === 'server') database = await createTestDatabase('nexus_chaos_embedded_load');
    const port = await freePort();
    const env: Record<string, string> = {
      NEXUS_DATA_DIR: dataDir,
      NEXUS_PORT: String(port),
      LOG_LEVEL: 'warn',
      NEXUS_WORKER_METRICS_PORT: '0',
      NEXUS_JOBS_QUEUE: `chaos-embedded-load-${target}-${randomBytes(4).toString('hex')}`,
      NEXUS_RATE_LIMIT_VIEWER: HUGE_RATE_LIMIT,
      NEXUS_RATE_LIMIT_EDITOR: HUGE_RATE_LIMIT,
      NEXUS_RATE_LIMIT_OPERATOR: HUGE_RATE_LIMIT,
      NEXUS_RATE_LIMIT_ADMIN: HUGE_RATE_LIMIT,
      NEXUS_RATE_LIMIT_ANONYMOUS: HUGE_RATE_LIMIT,
      ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
      ...(database ? { DATABASE_URL: database.url } : {}),
    };
    launcher = startNexusProcess(LAUNCHER, env);
    const [, superuserKey] = await launcher.waitForOutput(
      /Bootstrap superuser key created \(shown once, store it now\): (nx_[\w-]+)/,
      180_000,
    );
    const base = `http://127.0.0.1:${port}`;
    await waitForHealth(base);
    load = await runLoad(target, base, superuserKey ?? '', seconds, clients);
    if (launcher.child.exitCode !== null)
      failures.push(`the launcher exited (${launcher.child.exitCode}) during the load`);
  } catch (error) {
    failures.push(errorText(error).split('\n')[0] ?? 'failed');
    if (launcher) process.stderr.write(`launcher output (${target}):\n${launcher.output().slice(-4000)}\n`);
  } finally {
    if (launcher && launcher.child.exitCode === null && launcher.child.signalCode === null) {
      launcher.child.kill('SIGTERM');
      try {
        const code = await launcher.exited(STOP_TIMEOUT_MS);
        if (code !== 0) {
          failures.push(`the launcher exited ${code} after SIGTERM (expected 0)`);
          process.stderr.write(`launcher output (${target}):\n${launcher.output().slice(-4000)}\n`);
        }
      } catch {
        failures.push(`the launcher did not exit within ${STOP_TIMEOUT_MS / 1000} s of SIGTERM`);
        forceKill(launcher);
      }
    }
    await database
      ?.drop()
      .catch((error: unknown) => failures.push(`dropping the database: ${errorText(error)}`));
    await rm(dataDir, { recursive: true, force: true }).catch(() => undefined);
  }
  if (load) {
    const { stats } = load;
    if (stats.wrong > 0) failures.push(`${stats.wrong} wrong answer(s)`);
    if (stats.errors5xx > 0) failures.push(`${stats.errors5xx} response(s) >= 500`);
    if (stats.other > 0)
      failures.push(`${stats.other} other error(s) (unexpected status, timeout or connection error)`);
    if (stats.slowestMs >= SLOW_REQUEST_MS)
      failures.push(
        `slowest request ${stats.slowestRequest} took ${stats.slowestMs.toFixed(0)} ms (limit ${SLOW_REQUEST_MS} ms)`,
      );
    if (stats.tenants === 0) failures.push('no tenant completed');
    if (stats.problems.length > 0)
      process.stderr.write(`first problems (${target}):\n  ${stats.problems.join('\n  ')}\n`);
  }
  if (interrupted) failures.push('interrupted');
  return { target, load, failures };
}

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    process.stderr.write(`${name} must be a positive integer, not ${JSON.stringify(raw)}\n\n${USAGE}`);
    process.exit(2);
  }
  return value;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { help: { type: 'boolean', short: 'h' } }, strict: true });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const seconds = positiveInt('LOAD_SECONDS', 60);
  const clients = positiveInt('LOAD_CLIENTS', 32);
  const which = process.env.LOAD_TARGET || 'both';
  if (!['both', 'embedded', 'server'].includes(which)) {
    process.stderr.write(
      `LOAD_TARGET must be both, embedded or server, not ${JSON.stringify(which)}\n\n${USAGE}`,
    );
    process.exit(2);
  }
  const targets: Target[] = which === 'both' ? ['embedded', 'server'] : [which as Target];
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => (interrupted = true));

  const results: TargetResult[] = [];
  for (const target of targets) {
    if (interrupted) break;
    out(`starting ${target}: ${clients} clients for ${seconds} s`);
    const result = await runTarget(target, seconds, clients);
    results.push(result);
    const stats = result.load?.stats ?? newStats();
    out(
      `load ${target}: tenants=${stats.tenants} checks=${stats.checks} wrong=${stats.wrong} ` +
        `errors5xx=${stats.errors5xx} other=${stats.other} slowest_ms=${stats.slowestMs.toFixed(0)} ` +
        `checks_per_s=${(result.load?.checksPerSecond ?? 0).toFixed(1)}`,
    );
  }

  const failures = results.flatMap((result) =>
    result.failures.map((failure) => `${result.target}: ${failure}`),
  );
  const embedded = results.find((result) => result.target === 'embedded')?.load;
  const server = results.find((result) => result.target === 'server')?.load;
  if (embedded && server) {
    const ratio = server.checksPerSecond > 0 ? embedded.checksPerSecond / server.checksPerSecond : 0;
    out(`bench embedded_vs_server: ${ratio.toFixed(2)} (goal >= ${RATIO_GOAL.toFixed(2)})`);
    if (!(ratio >= RATIO_GOAL) && process.env.LOAD_RATIO_GATE !== 'off')
      failures.push(
        `embedded_vs_server: ratio ${ratio.toFixed(2)} is below the goal ${RATIO_GOAL.toFixed(2)}`,
      );
  }
  if (failures.length > 0) {
    for (const failure of failures) out(`FAIL ${failure}`);
    process.exitCode = 1;
  } else out('embedded-load: PASS');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
