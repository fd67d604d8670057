import { createHash } from 'node:crypto';
import type { Hash } from 'node:crypto';
import { KvError, KvErrorCode } from '../kv.errors';
import type { KvEngine, SnapshotSummary } from '../kv-store';

/**
 * The snapshot stream both engines write and read, so that a snapshot of one
 * engine loads into the other. A sequence of frames `[type u8][length u32 BE][payload]`:
 *
 *   1 header   JSON {format, version, engine, revision, createdAt}
 *   2 entry    [table length u8][table][key length u16 BE][key][value…]   (tables sorted, keys in byte order)
 *   3 trailer  JSON {entries, checksum}
 *
 * `checksum` is the hex SHA-256 of every entry frame, bytes as written, in order:
 * two stores with the same contents give the same checksum whatever their engine.
 */
export const SNAPSHOT_FORMAT = 'nexus-kv-snapshot';
export const SNAPSHOT_VERSION = 1;

/** Frame types. */
const FrameType = { Header: 1, Entry: 2, Trailer: 3 } as const;
type FrameType = (typeof FrameType)[keyof typeof FrameType];

const MAX_FRAME_BYTES = 8 * 1024 * 1024;

export interface SnapshotHeader {
  format: string;
  version: number;
  engine: KvEngine;
  /** The source's store revision when the snapshot was taken, as a decimal string. */
  revision: string;
  createdAt: string;
}

export interface SnapshotEntry {
  table: string;
  key: Uint8Array;
  value: Uint8Array;
}

function frame(type: FrameType, payload: Uint8Array): Buffer {
  const head = Buffer.allocUnsafe(5);
  head.writeUInt8(type, 0);
  head.writeUInt32BE(payload.length, 1);
  return Buffer.concat([head, payload]);
}

export function encodeHeader(engine: KvEngine, revision: bigint): Buffer {
  const header: SnapshotHeader = {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    engine,
    revision: revision.toString(),
    createdAt: new Date().toISOString(),
  };
  return frame(FrameType.Header, Buffer.from(JSON.stringify(header)));
}

export function encodeEntry(entry: SnapshotEntry): Buffer {
  const table = Buffer.from(entry.table, 'utf8');
  const head = Buffer.allocUnsafe(1 + table.length + 2);
  head.writeUInt8(table.length, 0);
  table.copy(head, 1);
  head.writeUInt16BE(entry.key.length, 1 + table.length);
  return frame(FrameType.Entry, Buffer.concat([head, entry.key, entry.value]));
}

export function encodeTrailer(summary: Pick<SnapshotSummary, 'entries' | 'checksum'>): Buffer {
  return frame(
    FrameType.Trailer,
    Buffer.from(JSON.stringify({ entries: summary.entries, checksum: summary.checksum })),
  );
}

/** Running count, per-table counts and checksum over entry frames. */
export class SnapshotDigest {
  private readonly hash: Hash = createHash('sha256');
  entries = 0;
  readonly tables: Record<string, number> = {};

  add(table: string, entryFrame: Uint8Array): void {
    this.hash.update(entryFrame);
    this.entries++;
    this.tables[table] = (this.tables[table] ?? 0) + 1;
  }

  summary(): SnapshotSummary {
    return { entries: this.entries, checksum: this.hash.copy().digest('hex'), tables: { ...this.tables } };
  }
}

function invalid(message: string): KvError {
  return new KvError(KvErrorCode.SnapshotInvalid, `Invalid snapshot: ${message}`);
}

function parseJson<T>(payload: Buffer, what: string): T {
  try {
    return JSON.parse(payload.toString('utf8')) as T;
  } catch {
    throw invalid(`the ${what} is not JSON`);
  }
}

function decodeEntry(payload: Buffer): SnapshotEntry {
  if (payload.length < 1) throw invalid('an entry is empty');
  const tableLength = payload.readUInt8(0);
  if (payload.length < 1 + tableLength + 2) throw invalid('an entry is truncated');
  const table = payload.toString('utf8', 1, 1 + tableLength);
  const keyLength = payload.readUInt16BE(1 + tableLength);
  const keyStart = 1 + tableLength + 2;
  if (payload.length < keyStart + keyLength) throw invalid('an entry key is truncated');
  return {
    table,
    key: Uint8Array.prototype.slice.call(payload, keyStart, keyStart + keyLength),
    value: Uint8Array.prototype.slice.call(payload, keyStart + keyLength),
  };
}

/** Splits a byte stream into frames, however its chunks fall. */
async function* frames(
  source: AsyncIterable<Uint8Array>,
): AsyncGenerator<{ type: number; raw: Buffer; payload: Buffer }> {
  let pending = Buffer.alloc(0);
  for await (const chunk of source) {
    pending = pending.length === 0 ? Buffer.from(chunk) : Buffer.concat([pending, chunk]);
    while (pending.length >= 5) {
      const length = pending.readUInt32BE(1);
      if (length > MAX_FRAME_BYTES) throw invalid(`a frame claims ${length} bytes`);
      if (pending.length < 5 + length) break;
      const raw = pending.subarray(0, 5 + length);
      yield { type: pending.readUInt8(0), raw, payload: raw.subarray(5) };
      pending = pending.subarray(5 + length);
    }
  }
  if (pending.length > 0) throw invalid('the stream ends inside a frame');
}

/**
 * Reads a snapshot stream: resolves the header, then yields each entry. The
 * generator finishes normally only when the trailer matches the entries read;
 * otherwise it throws KV_SNAPSHOT_INVALID (so an importer can roll back).
 */
export async function* readSnapshot(
  source: AsyncIterable<Uint8Array>,
): AsyncGenerator<SnapshotEntry, SnapshotSummary & { header: SnapshotHeader }> {
  const digest = new SnapshotDigest();
  let header: SnapshotHeader | undefined;
  let result: (SnapshotSummary & { header: SnapshotHeader }) | undefined;
  for await (const { type, raw, payload } of frames(source)) {
    if (result) throw invalid('data after the trailer');
    if (type === FrameType.Header) {
      if (header) throw invalid('a second header');
      header = parseJson<SnapshotHeader>(payload, 'header');
      if (header.format !== SNAPSHOT_FORMAT || header.version !== SNAPSHOT_VERSION) {
        throw invalid(`unsupported format ${String(header.format)} v${String(header.version)}`);
      }
    } else if (type === FrameType.Entry) {
      if (!header) throw invalid('an entry before the header');
      const entry = decodeEntry(payload);
      digest.add(entry.table, raw);
      yield entry;
    } else if (type === FrameType.Trailer) {
      if (!header) throw invalid('a trailer before the header');
      const trailer = parseJson<{ entries?: unknown; checksum?: unknown }>(payload, 'trailer');
      const summary = digest.summary();
      if (trailer.entries !== summary.entries) {
        throw invalid(
          `the trailer counts ${String(trailer.entries)} entries, the stream has ${summary.entries}`,
        );
      }
      if (trailer.checksum !== summary.checksum) throw invalid('the checksum does not match the entries');
      result = { ...summary, header };
    } else {
      throw invalid(`unknown frame type ${type}`);
    }
  }
  if (result) return result;
  throw invalid(header ? 'the trailer is missing (truncated stream?)' : 'the stream is empty');
}
