/** The raft-kv table of the filesystem's metadata read cache (its name predates the filesystem library). */
export const METADATA_TABLE = 'sm_metadata';
