import { EntryList, encodeRuns, scanRuns } from './posting-runs';

type Entry = [key: number, docNo: number, count: number];

function listOf(entries: Entry[], withCounts: boolean): EntryList {
  const list = new EntryList(withCounts, 1);
  for (const [key, docNo, count] of entries) list.push(key, docNo, count);
  return list;
}

function scanAll(data: Uint8Array, wanted: (key: number) => boolean = () => true): Entry[] {
  const out: Entry[] = [];
  scanRuns(data, wanted, (key, docNo, count) => out.push([key, docNo, count]));
  return out;
}

describe('posting runs', () => {
  it('round-trips keys (negative too), doc_nos and counts; without counts a count reads 0', () => {
    const entries: Entry[] = [
      [-2147483648, 10, 1],
      [2147483647, 11, 65535],
      [0, 4_000_000_000, 7],
      [-5, 10, 2],
    ];
    expect(scanAll(encodeRuns(listOf(entries, true)))).toEqual(entries);
    expect(scanAll(encodeRuns(listOf(entries, false)))).toEqual(entries.map(([k, d]) => [k, d, 0]));
  });

  it('reads appended runs one after the other, from an unaligned slice, keeping only wanted keys', () => {
    const first = encodeRuns(
      listOf(
        [
          [1, 100, 1],
          [2, 101, 3],
        ],
        true,
      ),
    );
    const second = encodeRuns(
      listOf(
        [
          [2, 200, 5],
          [3, 201, 1],
        ],
        true,
      ),
    );
    const padded = Buffer.concat([Buffer.from([0xff]), first, second]);
    const unaligned = padded.subarray(1);
    expect(unaligned.byteOffset % 4).not.toBe(0);
    expect(scanAll(unaligned, (key) => key === 2)).toEqual([
      [2, 101, 3],
      [2, 200, 5],
    ]);
  });

  it('splits doc_nos spanning 2^32 or more into runs of their own', () => {
    const entries: Entry[] = [
      [1, 5, 1],
      [2, 5 + 2 ** 32, 2],
      [3, 6, 3],
      [4, 5 + 2 ** 33 + 1, 4],
    ];
    const sorted = (list: Entry[]) => [...list].sort((a, b) => a[0] - b[0]);
    expect(sorted(scanAll(encodeRuns(listOf(entries, true))))).toEqual(entries);
  });

  it('encodes nothing for no entries, and a growing list keeps what it held', () => {
    expect(encodeRuns(new EntryList(true)).length).toBe(0);
    const many: Entry[] = Array.from({ length: 1000 }, (_, i) => [i * 7919, i, i % 100]);
    expect(scanAll(encodeRuns(listOf(many, true)))).toEqual(many);
  });
});
