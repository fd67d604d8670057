export * from './nexus-process';
