import { randomBytes } from 'node:crypto';
import { KvErrorCode } from '../kv.errors';
import type { KvStore } from '../kv-store';
import { codeOf } from '../testing/contract/context';
import type { EtcdCluster } from '../testing/etcd-cluster';
import { startEtcdCluster } from '../testing/etcd-cluster';
import { describeKvStoreContract } from '../testing/kv-store.contract';
import { EtcdKvStore } from './etcd-kv-store';

let cluster: EtcdCluster | undefined;
const namespaces = new WeakMap<KvStore, string>();

function openIn(namespace: string, options: { requestTimeoutMs?: number } = {}): EtcdKvStore {
  if (!cluster) throw new Error('etcd is not running');
  const store = new EtcdKvStore({
    endpoints: cluster.endpoints,
    namespace,
    requestTimeoutMs: 5_000,
    ...options,
  });
  namespaces.set(store, namespace);
  return store;
}

/** Every store gets its own key prefix on the one etcd member, so tests never see each other's data. */
const freshNamespace = () => `test-${randomBytes(6).toString('hex')}/`;

describeKvStoreContract('etcd (single member)', {
  setUp: async () => {
    cluster = await startEtcdCluster({ size: 1 });
  },
  tearDown: async () => {
    await cluster?.stop();
  },
  create: async () => openIn(freshNamespace()),
  sibling: async (store) => openIn(namespaces.get(store) ?? ''),
});

describe('EtcdKvStore (etcd specifics)', () => {
  let own: EtcdCluster | undefined;

  beforeAll(async () => {
    own = await startEtcdCluster({ size: 1 });
  });

  afterAll(async () => {
    await own?.stop();
  });

  it('keeps namespaces apart on one cluster', async () => {
    const endpoints = own?.endpoints ?? [];
    const a = new EtcdKvStore({ endpoints, namespace: 'ns-a/' });
    const b = new EtcdKvStore({ endpoints, namespace: 'ns-b/' });
    try {
      await a.put('t', Buffer.from('k'), Buffer.from('a'));
      await a.incrementRevision('zone');

      expect(await b.get('t', Buffer.from('k'))).toBeUndefined();
      expect(await b.getRevision('zone')).toBe(0n);
      expect(await b.listTables()).toEqual([]);
      expect(await a.listTables()).toEqual(['revisions', 't']);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('rejects a namespace without a trailing slash', () => {
    expect(() => new EtcdKvStore({ endpoints: own?.endpoints ?? [], namespace: 'no-slash' })).toThrow(
      /must end with/,
    );
  });

  it('reports KV_UNAVAILABLE (ping fails) when etcd is gone, within the request timeout', async () => {
    const doomed = await startEtcdCluster({ size: 1 });
    const store = new EtcdKvStore({ endpoints: doomed.endpoints, requestTimeoutMs: 1_000 });
    try {
      await expect(store.ping()).resolves.toBeUndefined();
      await doomed.stop();

      const started = Date.now();
      expect(await codeOf(store.ping())).toBe(KvErrorCode.Unavailable);
      expect(await codeOf(store.put('t', Buffer.from('k'), Buffer.from('v')))).toBe(KvErrorCode.Unavailable);
      expect(Date.now() - started).toBeLessThan(15_000);
    } finally {
      await store.close();
      await doomed.stop();
    }
  });
});
