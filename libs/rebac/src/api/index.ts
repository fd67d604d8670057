export * from './rebac-api.module';
export * from './refs.dto';
export * from './check.dto';
export * from './evaluation-trees.dto';
export * from './list.dto';
export * from './tuples.dto';
export * from './models.dto';
export { OWNER_RELATION, principalSubject } from './tuple-write-gate';
