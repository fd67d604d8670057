import type { Database } from 'lmdb';
import { bigintCodec } from '../codecs';
import type { KvChange } from '../kv-store';

/**
 * The embedded engine's persisted change log: one LMDB entry per store revision
 * (key: the revision as 8 big-endian bytes; value: every change written at that
 * revision). It lets `watch(…, fromRevision)` replay history and lets watchers in
 * other processes see writes. It is bounded: the writer trims revisions older
 * than the retention (default 10 000 revisions) in steps of TRIM_STEP, and a
 * watch from before the oldest kept revision fails with KV_COMPACTED.
 *
 * Record layout per change: [type u8: 0 put, 1 delete][table length u8][table]
 * [key length u16 BE][key] and, for a put, [value length u32 BE][value].
 */
export interface LoggedChange {
  type: 'put' | 'delete';
  table: string;
  key: Uint8Array;
  value?: Uint8Array;
}

export interface LoggedRevision {
  revision: bigint;
  changes: LoggedChange[];
}

export const TRIM_STEP = 1_024n;

export function encodeChanges(changes: readonly LoggedChange[]): Buffer {
  let size = 0;
  for (const change of changes) {
    size += 1 + 1 + change.table.length + 2 + change.key.length;
    if (change.type === 'put') size += 4 + (change.value?.length ?? 0);
  }
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (const change of changes) {
    at = out.writeUInt8(change.type === 'put' ? 0 : 1, at);
    at = out.writeUInt8(change.table.length, at);
    at += out.write(change.table, at, 'latin1');
    at = out.writeUInt16BE(change.key.length, at);
    out.set(change.key, at);
    at += change.key.length;
    if (change.type === 'put') {
      const value = change.value ?? new Uint8Array(0);
      at = out.writeUInt32BE(value.length, at);
      out.set(value, at);
      at += value.length;
    }
  }
  return out;
}

export function decodeChanges(bytes: Buffer): LoggedChange[] {
  const changes: LoggedChange[] = [];
  let at = 0;
  while (at < bytes.length) {
    const type = bytes.readUInt8(at) === 0 ? 'put' : 'delete';
    const tableLength = bytes.readUInt8(at + 1);
    const table = bytes.toString('latin1', at + 2, at + 2 + tableLength);
    at += 2 + tableLength;
    const keyLength = bytes.readUInt16BE(at);
    const key = Uint8Array.prototype.slice.call(bytes, at + 2, at + 2 + keyLength);
    at += 2 + keyLength;
    if (type === 'put') {
      const valueLength = bytes.readUInt32BE(at);
      const value = Uint8Array.prototype.slice.call(bytes, at + 4, at + 4 + valueLength);
      at += 4 + valueLength;
      changes.push({ type, table, key, value });
    } else {
      changes.push({ type, table, key });
    }
  }
  return changes;
}

/** Up to `limit` logged revisions from `from` (inclusive), oldest first. */
export function readChangeLog(log: Database<Buffer, Buffer>, from: bigint, limit: number): LoggedRevision[] {
  const out: LoggedRevision[] = [];
  for (const { key, value } of log.getRange({ start: bigintCodec.encode(from), limit })) {
    out.push({ revision: bigintCodec.decode(key), changes: decodeChanges(value) });
  }
  return out;
}

/** Removes revisions up to and including `through`; runs inside the writer's transaction. */
export function trimChangeLog(log: Database<Buffer, Buffer>, through: bigint): void {
  for (const key of log.getKeys({ end: bigintCodec.encode(through + 1n) })) log.removeSync(key);
}

/** The changes of one revision a watcher of `table`/`prefix` wants. */
export function matching(logged: LoggedRevision, table: string, prefix: Uint8Array): KvChange[] {
  const out: KvChange[] = [];
  for (const change of logged.changes) {
    if (change.table !== table || change.key.length < prefix.length) continue;
    if (Buffer.compare(change.key.subarray(0, prefix.length), prefix) !== 0) continue;
    out.push({ ...change, revision: logged.revision });
  }
  return out;
}
