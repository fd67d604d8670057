import { join } from 'node:path';
import type { BaseConfig } from '@nexus/core';
import { LmdbKvStore } from './embedded/lmdb-kv-store';
import { EtcdKvStore } from './etcd/etcd-kv-store';
import { KvError, KvErrorCode } from './kv.errors';
import type { KvStore } from './kv-store';

/** Where the embedded store of a data directory lives. */
export function embeddedKvPath(dataDir: string): string {
  return join(dataDir, 'kv');
}

/** The store the configuration asks for: NEXUS_KV=embedded (default) or etcd at NEXUS_ETCD_ENDPOINTS. */
export function createKvStore(
  config: Pick<BaseConfig, 'NEXUS_KV' | 'NEXUS_DATA_DIR' | 'NEXUS_ETCD_ENDPOINTS'>,
): KvStore {
  if (config.NEXUS_KV === 'etcd') {
    if (!config.NEXUS_ETCD_ENDPOINTS?.length) {
      throw new KvError(KvErrorCode.InvalidArgument, 'NEXUS_ETCD_ENDPOINTS is required when NEXUS_KV=etcd');
    }
    return new EtcdKvStore({ endpoints: config.NEXUS_ETCD_ENDPOINTS });
  }
  return LmdbKvStore.open({ path: embeddedKvPath(config.NEXUS_DATA_DIR) });
}
