export * from './jobs-test-kit';
