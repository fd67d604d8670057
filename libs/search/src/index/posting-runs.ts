import { endianness } from 'node:os';

/**
 * The binary form of a postings row (search_postings.data): one or more runs,
 * each written by one indexing batch (or one compaction) and appended as is.
 * A run is columnar so both sides are typed-array copies, never per-entry
 * text: PostgreSQL stores the bytes without parsing them and a query scans
 * the key column of the few rows its keys fall in.
 *
 *   u32 n · u32 flags (1: counts follow) · f64 base doc_no
 *   i32 key[n] · u32 doc_no − base [n] · u16 count[n] (with counts), padded to 4 bytes
 *
 * Entries are in no particular order (a row holds a few thousand; a scan of
 * its keys costs microseconds). Typed arrays use the machine's byte order:
 * little-endian, checked here once.
 */
if (endianness() !== 'LE') throw new Error('search postings are stored little-endian; this machine is not');

const HEADER_BYTES = 16;
const WITH_COUNTS = 1;
/** u32 doc_no offsets: a run spans less than this many doc_nos (wider batches are split). */
const SPAN = 2 ** 32;

/** Entries of one bucket, gathered by an index writer or a compaction. */
export interface PostingEntries {
  keys: Int32Array;
  docNos: Float64Array;
  /** Null for postings without counts (trigrams). */
  counts: Uint16Array | null;
  length: number;
}

const runBytes = (n: number, counts: boolean) =>
  HEADER_BYTES + n * 8 + (counts ? Math.ceil((n * 2) / 4) * 4 : 0);

/** The runs of these entries, ready to store or append to a row. */
export function encodeRuns(entries: PostingEntries): Buffer {
  const { docNos, length } = entries;
  if (length === 0) return Buffer.alloc(0);
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < length; i++) {
    const d = docNos[i]!;
    if (d < min) min = d;
    if (d > max) max = d;
  }
  if (max - min < SPAN) return encodeRun(entries, 0, length, min, null);
  // Rare (a zone indexed over billions of doc_nos): one run per window of SPAN doc_nos.
  const windows = new Map<number, number[]>();
  for (let i = 0; i < length; i++) {
    const w = Math.floor((docNos[i]! - min) / SPAN);
    let list = windows.get(w);
    if (!list) windows.set(w, (list = []));
    list.push(i);
  }
  return Buffer.concat(
    [...windows.entries()].map(([w, list]) => encodeRun(entries, 0, list.length, min + w * SPAN, list)),
  );
}

function encodeRun(
  entries: PostingEntries,
  from: number,
  to: number,
  base: number,
  only: number[] | null,
): Buffer {
  const n = to - from;
  const withCounts = entries.counts !== null;
  const buffer = new ArrayBuffer(runBytes(n, withCounts));
  const header = new DataView(buffer, 0, HEADER_BYTES);
  header.setUint32(0, n, true);
  header.setUint32(4, withCounts ? WITH_COUNTS : 0, true);
  header.setFloat64(8, base, true);
  const keys = new Int32Array(buffer, HEADER_BYTES, n);
  const offsets = new Uint32Array(buffer, HEADER_BYTES + n * 4, n);
  const counts = withCounts ? new Uint16Array(buffer, HEADER_BYTES + n * 8, n) : null;
  for (let k = 0; k < n; k++) {
    const i = only ? only[k]! : from + k;
    keys[k] = entries.keys[i]!;
    offsets[k] = entries.docNos[i]! - base;
    if (counts) counts[k] = entries.counts![i]!;
  }
  return Buffer.from(buffer);
}

/** Calls `visit` for every entry of the row whose key `wanted` accepts (count 0 without counts). */
export function scanRuns(
  data: Uint8Array,
  wanted: (key: number) => boolean,
  visit: (key: number, docNo: number, count: number) => void,
): void {
  // Typed-array views need 4-byte alignment; a row read from the database is a slice of a socket buffer.
  const bytes = data.byteOffset % 4 === 0 ? data : new Uint8Array(data);
  let at = 0;
  while (at + HEADER_BYTES <= bytes.byteLength) {
    const header = new DataView(bytes.buffer, bytes.byteOffset + at, HEADER_BYTES);
    const n = header.getUint32(0, true);
    const withCounts = (header.getUint32(4, true) & WITH_COUNTS) !== 0;
    const base = header.getFloat64(8, true);
    const start = bytes.byteOffset + at + HEADER_BYTES;
    const keys = new Int32Array(bytes.buffer, start, n);
    const offsets = new Uint32Array(bytes.buffer, start + n * 4, n);
    const counts = withCounts ? new Uint16Array(bytes.buffer, start + n * 8, n) : null;
    for (let i = 0; i < n; i++) {
      const key = keys[i]!;
      if (wanted(key)) visit(key, base + offsets[i]!, counts ? counts[i]! : 0);
    }
    at += runBytes(n, withCounts);
  }
}

/** A growable PostingEntries. */
export class EntryList implements PostingEntries {
  keys: Int32Array;
  docNos: Float64Array;
  counts: Uint16Array | null;
  length = 0;

  constructor(withCounts: boolean, capacity = 16) {
    this.keys = new Int32Array(capacity);
    this.docNos = new Float64Array(capacity);
    this.counts = withCounts ? new Uint16Array(capacity) : null;
  }

  push(key: number, docNo: number, count: number): void {
    if (this.length === this.keys.length) this.grow();
    this.keys[this.length] = key;
    this.docNos[this.length] = docNo;
    if (this.counts) this.counts[this.length] = count;
    this.length++;
  }

  private grow(): void {
    const size = this.keys.length * 2;
    const keys = new Int32Array(size);
    keys.set(this.keys);
    const docNos = new Float64Array(size);
    docNos.set(this.docNos);
    this.keys = keys;
    this.docNos = docNos;
    if (this.counts) {
      const counts = new Uint16Array(size);
      counts.set(this.counts);
      this.counts = counts;
    }
  }
}
