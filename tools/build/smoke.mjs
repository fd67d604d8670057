#!/usr/bin/env node
/**
 * Smoke test of the bundles in dist/nexus (built by tools/build/bundle.mjs): they
 * must run with plain `node` (no -r flags, NODE_OPTIONS cleared, no TypeScript
 * toolchain on PATH, a working directory outside the repository).
 *
 *   1. dist/nexus/api.js on a fresh PostgreSQL database (created and dropped here),
 *      NEXUS_PORT=0 and a temporary NEXUS_DATA_DIR: waits for "Nexus API listening
 *      on <url>", GET <url>/healthz must answer 200, SIGTERM must end it with exit 0.
 *   2. start.js without DATABASE_URL: embedded PostgreSQL, API and worker; /healthz 200; SIGTERM -> exit 0.
 *   3. worker.js, migrate.js and start.js (when built) with --help must exit 0.
 *
 * One result line on success; a reason, the child's last output lines and exit 1
 * on any failure.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const DIST = join(ROOT, 'dist', 'nexus');
const DEFAULT_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const LISTENING = /Nexus API listening on (https?:\/\/[^\s"()]+)/;
const EXIT_USAGE = 64;

const USAGE = `Usage: node tools/build/smoke.mjs [options]      (npm run build:smoke)

Boots the bundles in ${relative(ROOT, DIST)}/ with plain node: api.js must print
"Nexus API listening on <url>" within --boot-timeout, answer GET /healthz with 200
and exit 0 within --stop-timeout of a SIGTERM; worker.js, migrate.js and start.js
(when built) must exit 0 for --help. Run tools/build/bundle.mjs first.

The children get a minimal environment: PATH without node_modules/.bin entries,
HOME, no NODE_OPTIONS, cwd a temporary directory, NEXUS_PORT=0, NEXUS_HOST=127.0.0.1,
a temporary NEXUS_DATA_DIR (removed afterwards), DATABASE_URL and REDIS_URL below.
The caller's own DATABASE_URL / REDIS_URL are not used.

  --admin-url URL       PostgreSQL server on which a fresh database is created for the
                        run and dropped after it (default ${DEFAULT_ADMIN_URL})
  --database-url URL    use this existing database instead (nothing created or dropped)
  --redis-url URL       REDIS_URL for the API (default: the API's own, redis://127.0.0.1:6379)
  --boot-timeout SEC    wait this long for the listening line (default 60)
  --stop-timeout SEC    wait this long for exit after SIGTERM (default 20)
  --verbose             copy the children's output to stderr
  -h, --help            print this help

Exit codes: 0 passed, 1 a check failed, 64 bad flags.
`;

let args;
try {
  args = parseArgs({
    options: {
      help: { type: 'boolean', short: 'h' },
      'admin-url': { type: 'string' },
      'database-url': { type: 'string' },
      'redis-url': { type: 'string' },
      'boot-timeout': { type: 'string' },
      'stop-timeout': { type: 'string' },
      verbose: { type: 'boolean' },
    },
  });
} catch (error) {
  process.stderr.write(`build smoke: ${error.message}\n\n${USAGE}`);
  process.exit(EXIT_USAGE);
}
if (args.values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}

function seconds(flag, fallback) {
  const text = args.values[flag];
  if (text === undefined) return fallback * 1000;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) {
    process.stderr.write(`build smoke: --${flag} needs a positive number of seconds\n`);
    process.exit(EXIT_USAGE);
  }
  return value * 1000;
}
const BOOT_TIMEOUT_MS = seconds('boot-timeout', 60);
const STOP_TIMEOUT_MS = seconds('stop-timeout', 20);
const verbose = Boolean(args.values.verbose);

class SmokeFailure extends Error {
  constructor(message, output) {
    super(message);
    this.output = output;
  }
}

/** What a child prints, kept (last lines) for the failure report and scanned as it arrives. */
class Output {
  constructor(name) {
    this.name = name;
    this.lines = [];
    this.text = '';
    this.partial = { stdout: '', stderr: '' };
    this.listeners = new Set();
  }
  attach(child) {
    for (const stream of ['stdout', 'stderr']) {
      child[stream].setEncoding('utf8');
      child[stream].on('data', (chunk) => this.add(stream, chunk));
    }
  }
  add(stream, chunk) {
    if (verbose) process.stderr.write(chunk);
    this.text += chunk;
    const pieces = (this.partial[stream] + chunk).split('\n');
    this.partial[stream] = pieces.pop() ?? '';
    for (const line of pieces) {
      this.lines.push(line);
      if (this.lines.length > 40) this.lines.shift();
      for (const listener of this.listeners) listener(line);
    }
  }
  tail() {
    const rest = [this.partial.stdout, this.partial.stderr].filter(Boolean);
    return [...this.lines, ...rest]
      .map((line) => `  ${this.name}| ${line.length > 400 ? `${line.slice(0, 400)}…` : line}`)
      .join('\n');
  }
}

function childEnv(extra) {
  // No node_modules/.bin (npm run prepends them): nothing of the TypeScript toolchain is needed.
  const path = (process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin')
    .split(delimiter)
    .filter((entry) => entry && !entry.split(/[\\/]/).includes('node_modules'))
    .join(delimiter);
  const env = { PATH: path, HOME: process.env.HOME ?? tmpdir(), TZ: 'UTC', LOG_LEVEL: 'info', ...extra };
  if (process.env.LANG) env.LANG = process.env.LANG;
  return env;
}

const running = new Set();

function start(file, argv, env, cwd) {
  // process.execPath with no execArgv: none of this process's node flags are inherited.
  const child = spawn(process.execPath, [join(DIST, file), ...argv], {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const exited = new Promise((resolve) => {
    child.on('error', (error) => resolve({ code: null, signal: null, error }));
    // 'close', not 'exit': all of the child's output has been read by then.
    child.on('close', (code, signal) => resolve({ code, signal }));
  }).finally(() => running.delete(child));
  const output = new Output(file);
  output.attach(child);
  return { child, exited, output };
}

function describeExit({ code, signal, error }) {
  if (error) return `failed to start (${error.message})`;
  return signal ? `was killed by ${signal}` : `exited with code ${code}`;
}

function timeout(ms) {
  let timer;
  const promise = new Promise((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
}

/** Waits for `pattern` in the child's output; fails if the child exits or the time runs out first. */
async function waitForLine(proc, pattern, ms, what) {
  let listener;
  const found = new Promise((resolve) => {
    listener = (line) => {
      const match = pattern.exec(line);
      if (match) resolve(match);
    };
    proc.output.listeners.add(listener);
  });
  const timer = timeout(ms);
  try {
    const outcome = await Promise.race([found, proc.exited.then((exit) => ({ exit })), timer.promise]);
    if (outcome === 'timeout') throw new SmokeFailure(`no "${what}" line within ${ms / 1000} s`, proc.output);
    if (outcome.exit)
      throw new SmokeFailure(
        `${proc.output.name} ${describeExit(outcome.exit)} before printing "${what}"`,
        proc.output,
      );
    return outcome;
  } finally {
    timer.cancel();
    proc.output.listeners.delete(listener);
  }
}

async function waitForExit(proc, ms) {
  const timer = timeout(ms);
  try {
    const outcome = await Promise.race([proc.exited, timer.promise]);
    if (outcome === 'timeout') {
      proc.child.kill('SIGKILL');
      return null;
    }
    return outcome;
  } finally {
    timer.cancel();
  }
}

const requireFromRoot = createRequire(join(ROOT, 'package.json'));

/** A fresh database on the admin server; returns its URL and how to drop it. */
async function createDatabase(adminUrl) {
  const { Client } = requireFromRoot('pg');
  const name = `nexus_build_smoke_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 10_000 });
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
  } catch (error) {
    throw new SmokeFailure(
      `cannot create a database on ${redact(adminUrl)}: ${error.message} (is PostgreSQL running? try --admin-url or --database-url)`,
    );
  } finally {
    await admin.end().catch(() => undefined);
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const drop = async () => {
    const client = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 10_000 });
    try {
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    } catch (error) {
      process.stderr.write(`build smoke: warning: could not drop database ${name}: ${error.message}\n`);
    } finally {
      await client.end().catch(() => undefined);
    }
  };
  return { url: url.toString(), drop };
}

function redact(url) {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable URL)';
  }
}

const cleanups = [];

async function cleanup() {
  // SIGTERM first: the launcher then stops its own children and the embedded server,
  // which a SIGKILL of the launcher alone would leave running.
  const children = [...running];
  for (const child of children) child.kill('SIGTERM');
  const deadline = Date.now() + 15_000;
  while (children.some((child) => running.has(child)) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  for (const child of running) child.kill('SIGKILL');
  while (cleanups.length > 0) await cleanups.pop()();
}

async function smokeApi(env, cwd) {
  const started = performance.now();
  const api = start('api.js', [], env, cwd);
  const [, url] = await waitForLine(api, LISTENING, BOOT_TIMEOUT_MS, 'Nexus API listening on <url>');
  const base = url.replace(/\/+$/, '');
  let status;
  try {
    const response = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(10_000) });
    status = response.status;
    await response.arrayBuffer();
  } catch (error) {
    throw new SmokeFailure(`GET ${base}/healthz failed: ${error.message}`, api.output);
  }
  const healthyMs = Math.round(performance.now() - started);
  if (status !== 200)
    throw new SmokeFailure(`GET ${base}/healthz answered ${status}, expected 200`, api.output);

  const stopping = performance.now();
  api.child.kill('SIGTERM');
  const exit = await waitForExit(api, STOP_TIMEOUT_MS);
  if (exit === null)
    throw new SmokeFailure(
      `api.js did not exit within ${STOP_TIMEOUT_MS / 1000} s of SIGTERM (killed)`,
      api.output,
    );
  if (exit.code !== 0)
    throw new SmokeFailure(`api.js ${describeExit(exit)} after SIGTERM, expected exit 0`, api.output);
  return { status, healthyMs, stopMs: Math.round(performance.now() - stopping) };
}

/**
 * `start.js` without DATABASE_URL: the bundled launcher starts the embedded PostgreSQL
 * server, then the bundled API and worker; /healthz 200, then SIGTERM ends all with 0.
 */
async function smokeLauncher(env, cwd) {
  if (!existsSync(join(DIST, 'start.js'))) return 'start not built (skipped)';
  const started = performance.now();
  const launcher = start('start.js', [], env, cwd);
  // API and worker start side by side: wait for both lines, in whichever order they come.
  const workerStarted = waitForLine(
    launcher,
    /Nexus worker \S+ started/,
    BOOT_TIMEOUT_MS,
    'Nexus worker <id> started',
  );
  workerStarted.catch(() => undefined); // awaited below; a failure meanwhile is not unhandled
  const [, url] = await waitForLine(launcher, LISTENING, BOOT_TIMEOUT_MS, 'Nexus API listening on <url>');
  await workerStarted;
  const response = await fetch(`${url.replace(/\/+$/, '')}/healthz`, { signal: AbortSignal.timeout(10_000) });
  await response.arrayBuffer();
  if (response.status !== 200)
    throw new SmokeFailure(
      `start.js: GET /healthz answered ${response.status}, expected 200`,
      launcher.output,
    );
  if (!/Embedded PostgreSQL .* listening on 127\.0\.0\.1/.test(launcher.output.text))
    throw new SmokeFailure('start.js did not start the embedded PostgreSQL server', launcher.output);
  const readyMs = Math.round(performance.now() - started);
  launcher.child.kill('SIGTERM');
  const exit = await waitForExit(launcher, STOP_TIMEOUT_MS + 10_000);
  if (exit === null || exit.code !== 0)
    throw new SmokeFailure(
      `start.js ${exit ? describeExit(exit) : 'did not exit'} after SIGTERM, expected exit 0`,
      launcher.output,
    );
  return `start (embedded PostgreSQL, API, worker) /healthz 200 in ${readyMs} ms, SIGTERM -> exit 0`;
}

/** `<file> --help` must exit 0; for the worker, exit 64 "unknown worker flag" means it has no --help yet. */
async function smokeHelp(file, env, cwd) {
  if (!existsSync(join(DIST, file))) return `${file.replace(/\.js$/, '')} not built (skipped)`;
  const proc = start(file, ['--help'], env, cwd);
  const exit = await waitForExit(proc, STOP_TIMEOUT_MS);
  if (exit === null)
    throw new SmokeFailure(
      `${file} --help did not exit within ${STOP_TIMEOUT_MS / 1000} s (killed)`,
      proc.output,
    );
  if (file === 'worker.js' && exit.code === EXIT_USAGE && /unknown worker flag/.test(proc.output.text)) {
    return 'worker --help not supported yet (skipped)';
  }
  if (exit.code !== 0)
    throw new SmokeFailure(`${file} --help ${describeExit(exit)}, expected exit 0`, proc.output);
  if (!/usage/i.test(proc.output.text))
    throw new SmokeFailure(`${file} --help printed no usage text`, proc.output);
  return `${file.replace(/\.js$/, '')} --help 0`;
}

async function main() {
  if (!existsSync(join(DIST, 'api.js'))) {
    throw new SmokeFailure(
      `${relative(ROOT, join(DIST, 'api.js'))} does not exist: run node tools/build/bundle.mjs first`,
    );
  }
  const cwd = mkdtempSync(join(tmpdir(), 'nexus-build-smoke-'));
  cleanups.push(async () => rmSync(cwd, { recursive: true, force: true }));
  const dataDir = join(cwd, 'data');

  let databaseUrl = args.values['database-url'];
  if (!databaseUrl) {
    const database = await createDatabase(args.values['admin-url'] ?? DEFAULT_ADMIN_URL);
    cleanups.push(database.drop);
    databaseUrl = database.url;
  }
  const env = childEnv({
    DATABASE_URL: databaseUrl,
    NEXUS_HOST: '127.0.0.1',
    NEXUS_PORT: '0',
    NEXUS_DATA_DIR: dataDir,
    ...(args.values['redis-url'] ? { REDIS_URL: args.values['redis-url'] } : {}),
  });

  const api = await smokeApi(env, cwd);
  // The embedded server runs as `postgres` under root: it must be able to reach its directory.
  chmodSync(cwd, 0o711);
  const embeddedEnv = { ...env };
  delete embeddedEnv.DATABASE_URL;
  const launcher = await smokeLauncher(
    { ...embeddedEnv, NEXUS_DATA_DIR: join(cwd, 'embedded'), NEXUS_WORKER_METRICS_PORT: '0' },
    cwd,
  );
  const helps = [launcher];
  for (const file of ['worker.js', 'migrate.js', 'start.js']) helps.push(await smokeHelp(file, env, cwd));
  process.stdout.write(
    `build smoke: api /healthz ${api.status} in ${api.healthyMs} ms (SIGTERM -> exit 0 in ${api.stopMs} ms); ${helps.join('; ')}\n`,
  );
}

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    process.stderr.write(`build smoke: ${signal}: stopping\n`);
    void cleanup().finally(() => process.exit(130));
  });
}

let code = 0;
try {
  await main();
} catch (error) {
  code = 1;
  process.stderr.write(
    `build smoke: FAILED: ${error instanceof SmokeFailure ? error.message : (error?.stack ?? String(error))}\n`,
  );
  if (error instanceof SmokeFailure && error.output && !verbose) {
    process.stderr.write(`  last output of ${error.output.name}:\n${error.output.tail()}\n`);
  }
} finally {
  await cleanup();
}
process.exit(code);
