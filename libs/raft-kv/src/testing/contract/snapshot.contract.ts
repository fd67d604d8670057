import { KvErrorCode } from '../../kv.errors';
import type { KvChange, KvStore } from '../../kv-store';
import type { ContractContext } from './context';
import { bytes, codeOf, text } from './context';

async function collect(source: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of source) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/** Start offsets of the frames of a snapshot (header first, trailer last). */
function frameOffsets(data: Buffer): number[] {
  const offsets: number[] = [];
  for (let at = 0; at + 5 <= data.length; at += 5 + data.readUInt32BE(at + 1)) offsets.push(at);
  return offsets;
}

/** The snapshot with one entry's value changed but every frame still well-formed. */
function alterValue(data: Buffer): Buffer {
  const altered = Buffer.from(data);
  const at = altered.indexOf('{"size":1}');
  if (at < 0) throw new Error('the seeded value is not in the snapshot');
  altered[at + 8] = '9'.charCodeAt(0);
  return altered;
}

/** Yields `data` in uneven chunks, as a network stream would. */
async function* chunked(data: Buffer, size = 7): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < data.length; at += size) yield data.subarray(at, at + size);
}

async function seed(store: KvStore): Promise<void> {
  await store.put('sm_metadata', bytes('zone-1/a.txt'), bytes('{"size":1}'));
  await store.put('sm_metadata', bytes('zone-1/b.txt'), bytes('{"size":2}'));
  await store.put('blobs', Buffer.from([0x00, 0xff]), new Uint8Array(0));
  await store.incrementRevision('zone-1');
  await store.incrementRevision('zone-1');
  await store.acquireLock('held', 'alice', 60_000);
}

/** Snapshot export/import and the store's lifecycle (ping, close). */
export function describeSnapshotContract(ctx: ContractContext): void {
  describe('snapshots', () => {
    it('round-trips every table but the locks into an empty store, with the same checksum', async () => {
      const source = ctx.store();
      await seed(source);
      const snapshot = await collect(source.exportSnapshot());

      const target = await ctx.fresh();
      const summary = await target.importSnapshot(chunked(snapshot));

      expect(summary.entries).toBe(4);
      expect(summary.tables).toEqual({ blobs: 1, revisions: 1, sm_metadata: 2 });
      expect(summary.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(await target.listTables()).toEqual(['blobs', 'revisions', 'sm_metadata']);
      expect(text(await target.get('sm_metadata', bytes('zone-1/b.txt')))).toBe('{"size":2}');
      expect(await target.get('blobs', Buffer.from([0x00, 0xff]))).toEqual(new Uint8Array(0));
      expect(await target.getRevision('zone-1')).toBe(2n);
      expect(await target.incrementRevision('zone-1')).toBe(3n);
      expect(await target.acquireLock('held', 'bob', 1_000)).not.toBeNull();

      const again = await target.importSnapshot(chunked(snapshot), { replace: true });
      expect(again.checksum).toBe(summary.checksum);
      expect(await target.getRevision('zone-1')).toBe(2n);
    });

    it('refuses to import over data unless told to replace it', async () => {
      const source = ctx.store();
      await seed(source);
      const snapshot = await collect(source.exportSnapshot());
      const target = await ctx.fresh();
      await target.put('sm_metadata', bytes('existing'), bytes('x'));

      expect(await codeOf(target.importSnapshot(chunked(snapshot)))).toBe(KvErrorCode.NotEmpty);
      expect(text(await target.get('sm_metadata', bytes('existing')))).toBe('x');

      await target.importSnapshot(chunked(snapshot), { replace: true });
      expect(await target.get('sm_metadata', bytes('existing'))).toBeUndefined();
    });

    it.each([
      ['an altered value (checksum mismatch)', alterValue],
      ['a missing trailer', (data: Buffer) => data.subarray(0, frameOffsets(data).at(-1))],
      ['a cut inside a frame', (data: Buffer) => data.subarray(0, data.length - 3)],
      ['garbage after the trailer', (data: Buffer) => Buffer.concat([data, Buffer.from([2, 0, 0, 0, 0])])],
      ['no header', (data: Buffer) => data.subarray(frameOffsets(data)[1])],
      [
        'a dropped entry',
        (data: Buffer) => {
          const [, first, second] = frameOffsets(data);
          return Buffer.concat([data.subarray(0, first), data.subarray(second)]);
        },
      ],
      ['nothing at all', () => Buffer.alloc(0)],
    ])('rejects a snapshot with %s and leaves the target empty', async (_, corrupt) => {
      const source = ctx.store();
      await seed(source);
      const snapshot = corrupt(await collect(source.exportSnapshot()));
      const target = await ctx.fresh();

      expect(await codeOf(target.importSnapshot(chunked(snapshot)))).toBe(KvErrorCode.SnapshotInvalid);
      expect(await target.listTables()).toEqual([]);
    });

    it('exports one point in time even while writes go on between pages', async () => {
      const source = ctx.store();
      for (let start = 0; start < 1_200; start += 100) {
        await source.batch(
          Array.from({ length: 100 }, (_, i) => ({
            type: 'put' as const,
            table: 'bulk',
            key: bytes(String(start + i).padStart(5, '0')),
            value: bytes('v'),
          })),
        );
      }
      const chunks: Buffer[] = [];
      let frames = 0;
      for await (const chunk of source.exportSnapshot()) {
        chunks.push(Buffer.from(chunk));
        if (++frames === 10) {
          await source.delete('bulk', bytes('01199'));
          await source.put('bulk', bytes('99999'), bytes('late'));
        }
      }
      const target = await ctx.fresh();
      const summary = await target.importSnapshot(chunked(Buffer.concat(chunks)));

      expect(summary.entries).toBe(1_200);
      expect(text(await target.get('bulk', bytes('01199')))).toBe('v');
      expect(await target.get('bulk', bytes('99999'))).toBeUndefined();
    });

    it('exports an empty store as a valid, empty snapshot', async () => {
      const snapshot = await collect(ctx.store().exportSnapshot());
      const summary = await (await ctx.fresh()).importSnapshot(chunked(snapshot));

      expect(summary.entries).toBe(0);
    });
  });

  describe('lifecycle', () => {
    it('answers ping, then after close() ends watches and fails calls with KV_CLOSED', async () => {
      const store = ctx.store();
      await expect(store.ping()).resolves.toBeUndefined();
      const watch = await store.watch('t', new Uint8Array(0));
      const drained = (async () => {
        const seen: KvChange[] = [];
        for await (const change of watch) seen.push(change);
        return seen;
      })();

      await store.close();
      await store.close();

      await expect(drained).resolves.toEqual([]);
      expect(await codeOf(store.get('t', bytes('k')))).toBe(KvErrorCode.Closed);
      expect(await codeOf(store.put('t', bytes('k'), bytes('v')))).toBe(KvErrorCode.Closed);
      expect(await codeOf(store.incrementRevision('z'))).toBe(KvErrorCode.Closed);
    });
  });
}
