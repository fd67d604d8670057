import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import type { TestingModule } from '@nestjs/testing';
import { Test } from '@nestjs/testing';
import { ApiConfig, ConfigModule, ObservabilityModule, ReadinessRegistry, loadConfig } from '@nexus/core';
import { LmdbKvStore } from './embedded/lmdb-kv-store';
import { EtcdKvStore } from './etcd/etcd-kv-store';
import { KvErrorCode } from './kv.errors';
import { KvModule } from './kv.module';
import { KvStore } from './kv-store';
import { codeOf } from './testing/contract/context';
import type { EtcdCluster } from './testing/etcd-cluster';
import { startEtcdCluster } from './testing/etcd-cluster';

async function boot(env: Record<string, string>): Promise<TestingModule> {
  const moduleRef = await Test.createTestingModule({
    imports: [ConfigModule.forRoot(loadConfig(ApiConfig, env)), ObservabilityModule, KvModule.forRoot()],
  }).compile();
  await moduleRef.init();
  return moduleRef;
}

describe('KvModule', () => {
  let dataDir = '';

  beforeAll(() => {
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    dataDir = mkdtempSync(join(tmpdir(), 'nexus-kv-module-'));
  });

  afterAll(() => {
    jest.restoreAllMocks();
    rmSync(dataDir, { recursive: true, force: true });
  });

  describe('embedded (the default)', () => {
    it('provides an LMDB store in NEXUS_DATA_DIR/kv, ready, and closes it on shutdown', async () => {
      const moduleRef = await boot({ NEXUS_DATA_DIR: dataDir });
      const store = moduleRef.get(KvStore);

      expect(store).toBeInstanceOf(LmdbKvStore);
      expect(store.engine).toBe('embedded');
      await expect(moduleRef.get(ReadinessRegistry).report()).resolves.toEqual({
        ready: true,
        checks: { kv: { status: 'ok' } },
      });
      expect(await store.incrementRevision('zone-1')).toBe(1n);

      await moduleRef.close();
      expect(await codeOf(store.get('t', Buffer.from('k')))).toBe(KvErrorCode.Closed);

      const again = await boot({ NEXUS_DATA_DIR: dataDir });
      try {
        expect(await again.get(KvStore).incrementRevision('zone-1')).toBe(2n);
      } finally {
        await again.close();
      }
    });
  });

  describe('etcd', () => {
    let cluster: EtcdCluster;

    beforeAll(async () => {
      cluster = await startEtcdCluster({ size: 1 });
    });

    afterAll(async () => {
      await cluster?.stop();
    });

    it('provides an etcd store from NEXUS_ETCD_ENDPOINTS and reports kv down when etcd goes away', async () => {
      const moduleRef = await boot({ NEXUS_KV: 'etcd', NEXUS_ETCD_ENDPOINTS: cluster.endpoints.join(',') });
      try {
        const store = moduleRef.get(KvStore);
        expect(store).toBeInstanceOf(EtcdKvStore);
        await store.put('sm_metadata', Buffer.from('k'), Buffer.from('v'));
        const readiness = moduleRef.get(ReadinessRegistry);
        await expect(readiness.report()).resolves.toEqual({ ready: true, checks: { kv: { status: 'ok' } } });

        await cluster.stop();

        const report = await readiness.report();
        expect(report.ready).toBe(false);
        expect(report.checks.kv?.status).toBe('down');
        expect(report.checks.kv?.error).toEqual(expect.any(String));
      } finally {
        await moduleRef.close();
      }
    });
  });
});
