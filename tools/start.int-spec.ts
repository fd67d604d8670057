import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startNexusProcess } from '@nexus/core/testing';

/** `npm start` = `node tools/start.mjs`: API and worker together on the embedded database. */
describe('npm start (tools/start.mjs)', () => {
  let dataDir: string;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'nexus-start-'));
  });

  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('serves /healthz within 60 s without DATABASE_URL, is ready, and stops both processes on SIGTERM', async () => {
    const port = await freePort();
    const started = Date.now();
    const launcher = startNexusProcess('tools/start.mjs', { NEXUS_DATA_DIR: dataDir, NEXUS_PORT: String(port) });
    try {
      await launcher.waitForOutput(/Nexus API listening/, 60_000);
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);
      expect(Date.now() - started).toBeLessThan(60_000);
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(await ready.json()).toMatchObject({ status: 'ready' });
      // The worker joins the API's embedded database instead of opening it.
      await launcher.waitForOutput(/Nexus worker \S+ started/, 30_000);
      expect(launcher.output()).toContain('Embedded PostgreSQL (PGlite)');

      expect(await launcher.stop('SIGTERM')).toBe(0);
      expect(launcher.output().match(/Shutdown complete/g)).toHaveLength(2);
      await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    } finally {
      await launcher.stop('SIGKILL');
    }
  }, 120_000);

  it('exits non-zero naming the variable when the configuration is bad, stopping the worker too', async () => {
    const launcher = startNexusProcess('tools/start.mjs', { NEXUS_DATA_DIR: dataDir, NEXUS_PORT: 'abc' });
    const code = await launcher.exited(60_000);
    expect(code).not.toBe(0);
    expect(launcher.output()).toContain('NEXUS_PORT');
    expect(launcher.output()).toMatch(/api exited with code \d+; stopping the rest/);
  }, 90_000);
});
