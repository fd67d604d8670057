export * from './auth-test-app';
export * from './test-client';
