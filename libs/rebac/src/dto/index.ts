export * from './refs.dto';
export * from './check.dto';
export * from './batch-check.dto';
export * from './write-tuples.dto';
export * from './list.dto';
export * from './queries.dto';
export * from './write-model.dto';
