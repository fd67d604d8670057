import type { FileKind, FileMetadata } from './entities/file-path.entity';

/** What stat, list and the write responses say about one entry. */
export interface FileStat {
  /** The entry's id (its rebac object id: `file:<id>`); null for `/`. */
  id: string | null;
  path: string;
  name: string;
  kind: FileKind;
  size: number;
  contentHash: string | null;
  mimeType: string | null;
  version: number;
  etag: string | null;
  owner: string | null;
  createdAt: string | null;
  updatedAt: string | null;
  /** User metadata (PATCH /fs/metadata). */
  metadata: FileMetadata;
  /** User tags, sorted. */
  tags: string[];
}

/** Every mutation answers with the zone revision it became visible at (null if raft-kv was unreachable after commit). */
export interface MutationResult {
  revision: string | null;
}

export interface WriteResult extends MutationResult {
  path: string;
  version: number;
  etag: string;
  size: number;
  contentHash: string;
  created: boolean;
}

/** Etag preconditions of a write (HTTP If-Match / If-None-Match). */
export interface WritePreconditions {
  /** The current etag must equal this one (or, `*`, the file must exist). */
  ifMatch?: string;
  /** `*`: the file must not exist yet. Otherwise an etag it must not currently have. */
  ifNoneMatch?: string;
}

/** Read freshness: answer at least as fresh as this zone revision. */
export interface ReadOptions {
  minRevision?: bigint;
}
