import { KvError, KvErrorCode } from '../kv.errors';
import type { SnapshotEntry } from './snapshot-format';
import {
  SNAPSHOT_FORMAT,
  SnapshotDigest,
  encodeEntry,
  encodeHeader,
  encodeTrailer,
  readSnapshot,
} from './snapshot-format';

const entries: SnapshotEntry[] = [
  { table: 'revisions', key: Buffer.from('zone-1'), value: Buffer.from('0000000000000002', 'hex') },
  { table: 'sm_metadata', key: Buffer.from([0x00, 0xff]), value: new Uint8Array(0) },
  { table: 'sm_metadata', key: Buffer.from('b'), value: Buffer.from('{"x":1}') },
];

function snapshot(list: SnapshotEntry[] = entries): Buffer {
  const digest = new SnapshotDigest();
  const frames = list.map((entry) => {
    const frame = encodeEntry(entry);
    digest.add(entry.table, frame);
    return frame;
  });
  return Buffer.concat([encodeHeader('embedded', 42n), ...frames, encodeTrailer(digest.summary())]);
}

async function* chunks(data: Buffer, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < data.length; at += size) yield data.subarray(at, at + size);
}

async function readAll(data: Buffer, size = 3) {
  const reader = readSnapshot(chunks(data, size));
  const seen: SnapshotEntry[] = [];
  for (;;) {
    const next = await reader.next();
    if (next.done) return { seen, summary: next.value };
    seen.push(next.value);
  }
}

async function codeOf(data: Buffer): Promise<string> {
  const error: unknown = await readAll(data).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof KvError)) throw new Error(`expected a KvError, got ${String(error)}`);
  return error.code;
}

describe('snapshot format', () => {
  it.each([1, 2, 7, 1_000])('reads back every entry and the summary, in chunks of %p bytes', async (size) => {
    const { seen, summary } = await readAll(snapshot(), size);

    expect(
      seen.map((entry) => [
        entry.table,
        Buffer.from(entry.key).toString('hex'),
        Buffer.from(entry.value).toString('hex'),
      ]),
    ).toEqual(
      entries.map((entry) => [
        entry.table,
        Buffer.from(entry.key).toString('hex'),
        Buffer.from(entry.value).toString('hex'),
      ]),
    );
    expect(summary).toMatchObject({ entries: 3, tables: { revisions: 1, sm_metadata: 2 } });
    expect(summary.header).toMatchObject({
      format: SNAPSHOT_FORMAT,
      version: 1,
      engine: 'embedded',
      revision: '42',
    });
  });

  it('gives equal contents an equal checksum whatever the header says', () => {
    const a = new SnapshotDigest();
    const b = new SnapshotDigest();
    for (const entry of entries) {
      a.add(entry.table, encodeEntry(entry));
      b.add(entry.table, encodeEntry(entry));
    }
    expect(a.summary().checksum).toBe(b.summary().checksum);
    b.add('x', encodeEntry({ table: 'x', key: Buffer.from('k'), value: Buffer.from('v') }));
    expect(a.summary().checksum).not.toBe(b.summary().checksum);
  });

  it('rejects a changed value, a missing or wrong trailer, trailing bytes, a cut frame and an unknown format', async () => {
    const good = snapshot();
    const altered = Buffer.from(good);
    altered[good.indexOf('{"x":1}') + 5] = '2'.charCodeAt(0);
    expect(await codeOf(altered)).toBe(KvErrorCode.SnapshotInvalid);

    const noTrailer = Buffer.concat([encodeHeader('etcd', 1n), ...entries.map(encodeEntry)]);
    expect(await codeOf(noTrailer)).toBe(KvErrorCode.SnapshotInvalid);
    const wrongCount = Buffer.concat([noTrailer, encodeTrailer({ entries: 2, checksum: 'x' })]);
    expect(await codeOf(wrongCount)).toBe(KvErrorCode.SnapshotInvalid);
    expect(await codeOf(Buffer.concat([good, Buffer.from([9])]))).toBe(KvErrorCode.SnapshotInvalid);
    expect(await codeOf(good.subarray(0, good.length - 1))).toBe(KvErrorCode.SnapshotInvalid);

    const alien = Buffer.from(good);
    alien.write('x', alien.indexOf(SNAPSHOT_FORMAT));
    expect(await codeOf(alien)).toBe(KvErrorCode.SnapshotInvalid);
  });

  it('refuses a frame that claims more than 8 MiB before buffering it', async () => {
    const header = encodeHeader('embedded', 1n);
    const huge = Buffer.from([2, 0xff, 0xff, 0xff, 0xff]);
    expect(await codeOf(Buffer.concat([header, huge]))).toBe(KvErrorCode.SnapshotInvalid);
  });
});
