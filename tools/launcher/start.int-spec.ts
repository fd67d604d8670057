import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { WORKSPACE_ROOT, freePort, isProcessAlive as alive, startNexusProcess } from '@nexus/core/testing';

const LAUNCHER = 'tools/launcher/main.ts';

/** Pids the launcher's output names: the API's and the worker's log lines, and the embedded server's. */
function pidsIn(output: string): number[] {
  const pids = new Set<number>();
  for (const match of output.matchAll(/"service":"(?:api|worker)","pid":(\d+)/g)) pids.add(Number(match[1]));
  for (const match of output.matchAll(/Embedded PostgreSQL .* \(pid (\d+),/g)) pids.add(Number(match[1]));
  return [...pids];
}

/** `npm start` runs tools/launcher/main.ts: the embedded PostgreSQL server, then the API and the worker. */
describe('npm start (tools/launcher/main.ts)', () => {
  let dataDir: string;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'nexus-start-'));
  });

  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('serves the API on the embedded server, refuses a second start on the data dir, stops everything on SIGTERM and keeps data', async () => {
    const port = await freePort();
    const env = { NEXUS_DATA_DIR: dataDir, NEXUS_PORT: String(port), NEXUS_WORKER_METRICS_PORT: '0' };
    const launcher = startNexusProcess(LAUNCHER, env);
    try {
      await launcher.waitForOutput(/Nexus API listening/, 90_000);
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      expect(await (await fetch(`http://127.0.0.1:${port}/readyz`)).json()).toMatchObject({
        status: 'ready',
      });
      await launcher.waitForOutput(/Nexus worker \S+ started/, 60_000);
      expect(launcher.output()).toMatch(/Embedded PostgreSQL .* listening on 127\.0\.0\.1:\d+/);
      const firstKey = launcher.output().match(/nx_[\w-]+_[\w-]{43,}/)?.[0];
      expect(firstKey).toBeDefined();

      const second = startNexusProcess(LAUNCHER, { ...env, NEXUS_PORT: String(await freePort()) });
      expect(await second.exited(60_000)).not.toBe(0);
      expect(second.output()).toMatch(/in use by a running PostgreSQL server \(pid \d+\)/);

      const pids = pidsIn(launcher.output());
      expect(pids.length).toBe(3);
      expect(await launcher.stop('SIGTERM')).toBe(0);
      expect(launcher.output().match(/Shutdown complete/g)).toHaveLength(2);
      for (const pid of pids) expect(alive(pid)).toBe(false);
    } finally {
      await launcher.stop('SIGKILL');
    }

    // Restarted on the same data directory: the same database (the bootstrap key is not printed again).
    const again = startNexusProcess(LAUNCHER, env);
    try {
      await again.waitForOutput(/Nexus API listening/, 90_000);
      // Stopped only once both are up: a worker stopped mid-start may exit non-zero, which the launcher reports.
      await again.waitForOutput(/Nexus worker \S+ started/, 60_000);
      expect(again.output()).not.toMatch(/nx_[\w-]+_[\w-]{43,}/);
    } finally {
      expect(await again.stop('SIGTERM')).toBe(0);
    }
  }, 300_000);

  it('ends every process within the grace period + 5 s when its pipes are closed, and restarts cleanly', async () => {
    const graceMs = 3_000;
    const port = await freePort();
    const child = spawn(process.execPath, ['-r', '@swc-node/register', LAUNCHER], {
      cwd: WORKSPACE_ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        SWC_NODE_PROJECT: join(WORKSPACE_ROOT, 'tsconfig.base.json'),
        NEXUS_DATA_DIR: dataDir,
        NEXUS_PORT: String(port),
        NEXUS_WORKER_METRICS_PORT: '0',
        NEXUS_SHUTDOWN_GRACE_MS: String(graceMs),
      },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const pid = child.pid as number;
    try {
      const deadline = Date.now() + 90_000;
      while (!(/Nexus API listening/.test(output) && /Nexus worker \S+ started/.test(output))) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`did not start:\n${output}`);
        await sleep(100);
      }
      const pids = [pid, ...pidsIn(output)];
      expect(pids.length).toBe(4);
      // The reader goes away: every later write by any of them meets a closed pipe (EPIPE).
      child.stdout.destroy();
      child.stderr.destroy();
      await fetch(`http://127.0.0.1:${port}/healthz`);
      const signalled = Date.now();
      process.kill(-pid, 'SIGTERM');
      while (pids.some(alive) && Date.now() - signalled < graceMs + 5_000) await sleep(50);
      expect(pids.filter(alive)).toEqual([]);
    } finally {
      if (alive(pid)) process.kill(-pid, 'SIGKILL');
    }

    const again = startNexusProcess(LAUNCHER, {
      NEXUS_DATA_DIR: dataDir,
      NEXUS_PORT: String(port),
      NEXUS_WORKER_METRICS_PORT: '0',
    });
    try {
      await again.waitForOutput(/Nexus API listening/, 90_000);
      await again.waitForOutput(/Nexus worker \S+ started/, 60_000);
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    } finally {
      expect(await again.stop('SIGTERM')).toBe(0);
    }
  }, 300_000);

  it('stops cleanly (exit 0, database down) when SIGTERM arrives while the API and worker are still starting', async () => {
    const launcher = startNexusProcess(LAUNCHER, {
      NEXUS_DATA_DIR: dataDir,
      NEXUS_PORT: String(await freePort()),
      NEXUS_WORKER_METRICS_PORT: '0',
    });
    const [, pid] = await launcher.waitForOutput(/Embedded PostgreSQL .* \(pid (\d+),/, 90_000);
    expect(await launcher.stop('SIGTERM')).toBe(0);
    expect(launcher.output()).not.toMatch(/stopping the rest/);
    expect(alive(Number(pid))).toBe(false);
  }, 120_000);

  it('exits non-zero naming the variable when the configuration is bad, stopping the worker too', async () => {
    const launcher = startNexusProcess(LAUNCHER, { NEXUS_DATA_DIR: dataDir, NEXUS_PORT: 'abc' });
    const code = await launcher.exited(90_000);
    expect(code).not.toBe(0);
    expect(launcher.output()).toContain('NEXUS_PORT');
    expect(launcher.output()).toMatch(/api exited with code \d+; stopping the rest/);
  }, 120_000);

  it('prints its usage with --help', async () => {
    const launcher = startNexusProcess(LAUNCHER, {}, ['--help']);
    expect(await launcher.exited(30_000)).toBe(0);
    expect(launcher.output()).toMatch(/Usage: npm start/);
  }, 60_000);
});
