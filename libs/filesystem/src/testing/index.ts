export * from './fs-test-kit';
export * from './fs-job-context';
export * from './tree-model';
export * from './fs-tree-probes';
