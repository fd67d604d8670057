export * from './path/zone-path';
export * from './blob/blob-store';
export * from './blob/blob-hash';
export * from './blob/byte-range';
export * from './blob/local-disk-blob-store';
