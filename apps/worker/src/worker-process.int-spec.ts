import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNexusProcess } from '@nexus/core/testing';
import { createTestDatabase } from '@nexus/storage-models/testing';
import type { TestDatabase } from '@nexus/storage-models/testing';

const WORKER_MAIN = 'apps/worker/src/main.ts';

describe('worker process', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase('nexus_worker_process');
  });

  afterAll(async () => {
    await database?.drop();
  });

  it('starts with an identity hostname-pid-rand8 and stops cleanly on SIGTERM', async () => {
    const worker = startNexusProcess(WORKER_MAIN, { DATABASE_URL: database.url });
    try {
      const [, workerId] = await worker.waitForOutput(/Nexus worker (\S+) started/);
      expect(workerId).toMatch(new RegExp(`^.+-${worker.child.pid}-[0-9a-f]{8}$`));
      expect(await worker.stop('SIGTERM')).toBe(0);
      expect(worker.output()).toContain('Shutdown complete');
    } finally {
      await worker.stop('SIGKILL');
    }
  });

  it('says it waits for Redis when Redis is unreachable, keeps retrying, and still stops cleanly', async () => {
    const worker = startNexusProcess(WORKER_MAIN, { DATABASE_URL: database.url, REDIS_URL: 'redis://127.0.0.1:1' });
    try {
      await worker.waitForOutput(/Redis unreachable at redis:\/\/127\.0\.0\.1:1.*the worker processes no jobs until Redis is back/);
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(worker.child.exitCode).toBeNull();
      expect(worker.output().match(/Redis unreachable/g)).toHaveLength(1);
      expect(await worker.stop('SIGTERM')).toBe(0);
    } finally {
      await worker.stop('SIGKILL');
    }
  });

  it('without DATABASE_URL waits for the API to serve the embedded database, saying so', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'nexus-worker-'));
    const worker = startNexusProcess(WORKER_MAIN, { NEXUS_DATA_DIR: dataDir });
    try {
      await worker.waitForOutput(/Waiting for the embedded database in .*the API process serves it/);
      expect(await worker.stop('SIGTERM')).toBe(0);
    } finally {
      await worker.stop('SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
