export * from './fs-test-kit';
