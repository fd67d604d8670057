export * from './search-test-kit';
