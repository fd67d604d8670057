export * from './rebac-api.module';
export * from './rebac-responses.dto';
export { OWNER_RELATION, principalSubject } from './tuple-write-gate';
