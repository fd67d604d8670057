export * from './etcd-cluster';
export * from './in-memory-kv-model';
export * from './kv-store.contract';
