import { DomainError } from '@nexus/core';

/** Stable codes of every error the KV store throws on purpose. */
export enum KvErrorCode {
  /** A table name, key, value, batch or lock argument breaks the documented limits. */
  InvalidArgument = 'KV_INVALID_ARGUMENT',
  /** A write through the generic API to a table the library manages (`revisions`, `sm_locks`). */
  ReservedTable = 'KV_RESERVED_TABLE',
  /** `watch(…, fromRevision)` asked for history the store no longer keeps. */
  Compacted = 'KV_COMPACTED',
  /** A watcher fell further behind than its buffer allows. */
  WatchOverflow = 'KV_WATCH_OVERFLOW',
  /** The store was closed. */
  Closed = 'KV_CLOSED',
  /** The engine (etcd quorum, LMDB environment) could not serve the call. */
  Unavailable = 'KV_UNAVAILABLE',
  /** A snapshot stream is malformed, truncated or fails its checksum. */
  SnapshotInvalid = 'KV_SNAPSHOT_INVALID',
  /** `importSnapshot` into a store that already holds data, without `replace`. */
  NotEmpty = 'KV_NOT_EMPTY',
}

const STATUS: Record<KvErrorCode, number> = {
  [KvErrorCode.InvalidArgument]: 400,
  [KvErrorCode.ReservedTable]: 400,
  [KvErrorCode.Compacted]: 410,
  [KvErrorCode.WatchOverflow]: 503,
  [KvErrorCode.Closed]: 503,
  [KvErrorCode.Unavailable]: 503,
  [KvErrorCode.SnapshotInvalid]: 400,
  [KvErrorCode.NotEmpty]: 409,
};

export class KvError extends DomainError {
  constructor(
    override readonly code: KvErrorCode,
    message: string,
    details?: Record<string, unknown>,
  ) {
    super(code, message, STATUS[code], details);
  }
}

export function invalidArgument(message: string, details?: Record<string, unknown>): KvError {
  return new KvError(KvErrorCode.InvalidArgument, message, details);
}
