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
 * that does not exit 0 within 30 s of SIGTERM, or a ratio below 0.80.
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
const REQUEST_TIMEOUT_MS = 30_000;
const SLOW_REQUEST_MS = 10_000;
const PROGRESS_MS = 10_000;
const STOP_TIMEOUT_MS = 30_000;
const RATIO_GOAL = 0.8;
const HUGE_RATE_LIMIT = '100000000';

type Target = 'embedded' | 'server';

/** A folder tree with groups: documents inherit viewer/editor/owner from their folder, folders from theirs. */
const MODEL_DSL = `model
  schema 1.1

type user

type group
  relations
    define member: [user, group#member]

type folder
  relations
    define parent: [folder]
    define owner: [user, group#member] or owner from parent
    define editor: [user, group#member] or owner or editor from parent
    define viewer: [user, group#member] or editor or viewer from parent

type document
  relations
    define parent: [folder]
    define owner: [user, group#member] or owner from parent
    define editor: [user, group#member] or owner or editor from parent
    define viewer: [user, group#member] or editor or viewer from parent
`;

interface Subject {
  type: string;
  id: string;
  relation?: string;
}

interface Tuple {
  object: { type: string; id: string };
  relation: string;
  subject: Subject;
}

interface CheckCase extends Tuple {
  expected: boolean;
}

function parseRef(text: string): { type: string; id: string; relation?: string } {
  const [object, relation] = text.split('#');
  const [type, id] = (object ?? '').split(':');
  return { type: type ?? '', id: id ?? '', ...(relation ? { relation } : {}) };
}

/** `folder:projects#viewer@group:staff#member` → a tuple. */
function tuple(text: string): Tuple {
  const [left, right] = text.split('@');
  const { type, id, relation } = parseRef(left ?? '');
  return { object: { type, id }, relation: relation ?? '', subject: parseRef(right ?? '') };
}

const check = (text: string, expected: boolean): CheckCase => ({ ...tuple(text), expected });

// staff ⊃ eng ⊃ {alice, bob}; carol is staff only. root (owned by olivia) holds projects
// (viewable by staff) and secret (editable by eng); plan is in projects, notes in secret.
const TUPLES: readonly Tuple[] = [
  'group:eng#member@user:alice',
  'group:eng#member@user:bob',
  'group:staff#member@group:eng#member',
  'group:staff#member@user:carol',
  'folder:root#owner@user:olivia',
  'folder:projects#parent@folder:root',
  'folder:projects#viewer@group:staff#member',
  'folder:secret#parent@folder:root',
  'folder:secret#editor@group:eng#member',
  'document:plan#parent@folder:projects',
  'document:plan#editor@user:dave',
  'document:notes#parent@folder:secret',
  'document:notes#viewer@user:erin',
  'document:lone#owner@user:frank',
].map(tuple);

const CHECKS: readonly CheckCase[] = [
  check('document:plan#viewer@user:alice', true), // eng ⊂ staff, staff views projects, plan inherits
  check('document:plan#viewer@user:carol', true),
  check('document:plan#editor@user:alice', false),
  check('document:plan#editor@user:dave', true),
  check('document:plan#viewer@user:dave', true), // editor implies viewer
  check('document:plan#owner@user:olivia', true), // owner from parent from parent
  check('document:plan#owner@user:dave', false),
  check('document:plan#viewer@user:mallory', false),
  check('document:notes#editor@user:bob', true), // eng edits secret
  check('document:notes#viewer@user:alice', true),
  check('document:notes#viewer@user:carol', false), // staff is not on secret
  check('document:notes#viewer@user:erin', true),
  check('document:notes#editor@user:erin', false),
  check('document:notes#viewer@user:olivia', true),
  check('document:lone#viewer@user:frank', true),
  check('document:lone#viewer@user:olivia', false), // no parent
  check('folder:projects#viewer@user:bob', true),
  check('folder:projects#editor@user:bob', false),
  check('folder:root#viewer@user:alice', false),
  check('folder:secret#owner@user:olivia', true),
  check('group:staff#member@user:alice', true),
  check('group:eng#member@user:carol', false),
];

interface Stats {
  tenants: number;
  checks: number;
  wrong: number;
  errors5xx: number;
  other: number;
  slowestMs: number;
  slowestRequest: string;
  /** The first few problems, for the failure report. */
  problems: string[];
}

const newStats = (): Stats => ({
  tenants: 0,
  checks: 0,
  wrong: 0,
  errors5xx: 0,
  other: 0,
  slowestMs: 0,
  slowestRequest: '',
  problems: [],
});

function note(stats: Stats, problem: string): void {
  if (stats.problems.length < 10) stats.problems.push(problem);
}

const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

let interrupted = false;

/** One HTTP call, timed and counted; the parsed body when the status is the expected one. */
async function call<T>(
  stats: Stats,
  base: string,
  method: string,
  path: string,
  token: string,
  body: unknown,
  expectedStatus: number,
  headers: Record<string, string> = {},
): Promise<T | undefined> {
  const what = `${method} ${path}`;
  const started = performance.now();
  const elapsed = () => {
    const ms = performance.now() - started;
    if (ms > stats.slowestMs) {
      stats.slowestMs = ms;
      stats.slowestRequest = what;
    }
    return ms;
  };
  let status: number;
  let text: string;
  try {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    status = response.status;
    text = await response.text();
  } catch (error) {
    const ms = elapsed();
    stats.other++;
    const timedOut = error instanceof Error && error.name === 'TimeoutError';
    note(
      stats,
      `${what}: ${timedOut ? `no answer within ${REQUEST_TIMEOUT_MS} ms` : errorText(error)} (${ms.toFixed(0)} ms)`,
    );
    return undefined;
  }
  elapsed();
  if (status !== expectedStatus) {
    if (status >= 500) stats.errors5xx++;
    else stats.other++;
    note(stats, `${what}: ${status} (expected ${expectedStatus}) ${text.slice(0, 300)}`);
    return undefined;
  }
  try {
    return JSON.parse(text) as T;
  } catch {
    stats.other++;
    note(stats, `${what}: ${status} with a body that is not JSON: ${text.slice(0, 300)}`);
    return undefined;
  }
}

interface Client {
  base: string;
  superuserKey: string;
  stats: Stats;
  runId: string;
  index: number;
  /** The user of this client's previous tenant: another zone's, so never allowed here. */
  previousUserId?: string;
}

/** One tenant from scratch; true when every step answered as expected. */
async function runTenant(client: Client, serial: number): Promise<boolean> {
  const { base, superuserKey, stats } = client;
  const name = `load-${client.runId}-${client.index}-${serial}`;
  const zone = await call<{ id: string }>(stats, base, 'POST', '/api/v1/zones', superuserKey, { name }, 201);
  if (!zone) return false;
  const inZone = { 'x-nexus-zone-id': zone.id };
  const user = await call<{ id: string; zoneId: string }>(
    stats,
    base,
    'POST',
    '/api/v1/users',
    superuserKey,
    { email: `owner@${name}.example.com`, displayName: `Owner of ${name}` },
    201,
    inZone,
  );
  if (!user) return false;
  const key = await call<{ key: string; zoneId: string }>(
    stats,
    base,
    'POST',
    '/api/v1/auth/keys',
    superuserKey,
    { name: `${name} admin`, subjectType: 'user', subjectId: user.id, role: 'admin' },
    201,
    inZone,
  );
  if (!key) return false;
  if (user.zoneId !== zone.id || key.zoneId !== zone.id) {
    stats.wrong++;
    note(
      stats,
      `tenant ${name}: user in zone ${user.zoneId}, key in zone ${key.zoneId}, expected ${zone.id}`,
    );
    return false;
  }
  const tenantKey = key.key;
  if (!(await call(stats, base, 'PUT', '/api/v1/rebac/model', tenantKey, { dsl: MODEL_DSL }, 200)))
    return false;
  const own = `document:plan#viewer@user:${user.id}`;
  if (
    !(await call(
      stats,
      base,
      'POST',
      '/api/v1/rebac/tuples',
      tenantKey,
      { writes: [...TUPLES, tuple(own)] },
      200,
    ))
  )
    return false;

  const cases = [...CHECKS, check(own, true), check(`document:notes#viewer@user:${user.id}`, false)];
  if (client.previousUserId) cases.push(check(`document:plan#viewer@user:${client.previousUserId}`, false));
  client.previousUserId = user.id;
  let complete = true;
  for (const { expected, ...question } of cases) {
    const answer = await call<{ allowed?: unknown }>(
      stats,
      base,
      'POST',
      '/api/v1/rebac/check',
      tenantKey,
      { ...question, consistency: { mode: 'fully_consistent' } },
      200,
    );
    if (!answer) {
      complete = false;
      continue;
    }
    stats.checks++;
    if (answer.allowed !== expected) {
      stats.wrong++;
      complete = false;
      const { object, relation, subject } = question;
      note(
        stats,
        `tenant ${name}: ${object.type}:${object.id}#${relation}@${subject.type}:${subject.id}` +
          `${subject.relation ? `#${subject.relation}` : ''} answered ${JSON.stringify(answer.allowed)}, expected ${expected}`,
      );
    }
  }
  return complete;
}

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

async function waitForHealth(base: string, launcher: NexusProcess): Promise<void> {
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    if (launcher.child.exitCode !== null)
      throw new Error(`the launcher exited (${launcher.child.exitCode}) before /healthz answered`);
    const ok = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(5_000) }).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return;
    await sleep(200);
  }
  throw new Error('/healthz did not answer 200 within 60 s');
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
    await waitForHealth(base, launcher);
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
