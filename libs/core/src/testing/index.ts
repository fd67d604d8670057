export * from './nexus-process';
export * from './content-security-policy';
