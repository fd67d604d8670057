import { createHash } from 'node:crypto';
import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AlignedSlab } from './aligned-slab';
import { ChunkCoalescer, PipelinedFileWriter, openDirect } from './pipelined-file-writer';
import type { BatchHasher } from './sha256-worker';
import { stopSha256Worker, workerSha256 } from './sha256-worker';

const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

function bytes(size: number, seed: number): Buffer {
  const data = Buffer.alloc(size);
  for (let i = 0; i < size; i += 1) data[i] = (i * 7 + seed) & 0xff;
  return data;
}

/** Splits `data` into chunks of the given sizes (cycled). */
function chunksOf(data: Buffer, sizes: number[]): Buffer[] {
  const chunks: Buffer[] = [];
  for (let offset = 0, i = 0; offset < data.length; i += 1) {
    const size = sizes[i % sizes.length]!;
    chunks.push(data.subarray(offset, offset + size));
    offset += size;
  }
  return chunks;
}

/** A hasher whose answers come after random delays, counting batches held at once. */
function slowHasher(stats: { held: number; maxHeld: number; batches: number }): BatchHasher {
  const hash = createHash('sha256');
  let queue = Promise.resolve();
  return {
    update(batch) {
      stats.held += 1;
      stats.batches += 1;
      stats.maxHeld = Math.max(stats.maxHeld, stats.held);
      hash.update(batch);
      // In order, like the worker: each answer after the previous one.
      queue = queue.then(() => new Promise((resolve) => setTimeout(resolve, Math.random() * 3)));
      return queue.then(() => {
        stats.held -= 1;
        return batch;
      });
    },
    digest: () => Promise.resolve(hash.digest('hex')),
    abort: () => undefined,
  };
}

const BATCH = 64 * 1024;

describe('ChunkCoalescer', () => {
  /** Pushes every chunk whole, as PipelinedFileWriter does: again from where a full batch stopped. */
  function coalesce(coalescer: ChunkCoalescer, chunks: Uint8Array[]): Buffer[] {
    const batches: Buffer[] = [];
    for (const chunk of chunks) {
      for (let offset = 0; offset < chunk.byteLength;) {
        const { taken, full } = coalescer.push(chunk, offset);
        offset += taken;
        if (full) batches.push(Buffer.from(full));
      }
    }
    return batches;
  }

  it('cuts any chunk sizes into exact batches and keeps the rest', () => {
    const data = bytes(10_000, 3);
    const coalescer = new ChunkCoalescer(1024, () => new Uint8Array(1024));
    const batches = coalesce(coalescer, chunksOf(data, [1, 1023, 5000, 3, 700]));
    expect(batches.map((batch) => batch.length)).toEqual(Array(9).fill(1024));
    const rest = coalescer.rest();
    expect(rest?.byteLength).toBe(10_000 - 9 * 1024);
    expect(Buffer.concat([...batches, rest!])).toEqual(data);
    expect(coalescer.rest()).toBeNull();
  });

  it('stops at a full batch and has no rest after whole batches', () => {
    const coalescer = new ChunkCoalescer(4, () => new Uint8Array(4));
    expect(coalescer.rest()).toBeNull();
    const chunk = bytes(10, 1);
    expect(coalescer.push(chunk)).toMatchObject({ taken: 4, full: chunk.subarray(0, 4) });
    expect(coalescer.push(chunk, 4)).toMatchObject({ taken: 4 });
    expect(coalescer.push(chunk.subarray(0, 8), 8)).toEqual({ taken: 0, full: null });
    expect(coalescer.rest()).toBeNull();
  });
});

describe('AlignedSlab', () => {
  it('hands out each slot once, takes any view of a slot back and resets', () => {
    const slab = new AlignedSlab(BATCH, 3);
    const slots = [slab.take()!, slab.take()!, slab.take()!];
    expect(slab.take()).toBeNull();
    expect(slots.map((slot) => slot.byteOffset).sort((a, b) => a - b)).toEqual([0, BATCH, 2 * BATCH]);
    expect(slots.every((slot) => slab.holds(slot) && slot.byteLength === BATCH)).toBe(true);
    slab.give(slots[1]!.subarray(0, 10));
    expect(slab.take()).toMatchObject({ byteOffset: slots[1]!.byteOffset, byteLength: BATCH });
    expect(slab.holds(new Uint8Array(BATCH))).toBe(false);
    slab.reset();
    expect([slab.take(), slab.take(), slab.take(), slab.take()].filter(Boolean)).toHaveLength(3);
  });
});

describe('PipelinedFileWriter', () => {
  let dir: string;
  let path: string;
  let file: FileHandle;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nexus-pipelined-'));
    path = join(dir, 'blob.part');
    file = await open(path, 'wx');
  });

  afterEach(async () => {
    await file.close().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });

  afterAll(() => stopSha256Worker());

  async function writeAll(writer: PipelinedFileWriter, chunks: Uint8Array[]): Promise<string> {
    for (const chunk of chunks) await writer.add(chunk);
    return writer.finish();
  }

  /** openDirect, counting the writes that go through the O_DIRECT handle. */
  function countingDirect(counts: { opened: number; writes: number }) {
    return async (target: string): Promise<FileHandle | null> => {
      const handle = await openDirect(target);
      if (!handle) return null;
      counts.opened += 1;
      const write = handle.write.bind(handle) as (...args: unknown[]) => Promise<unknown>;
      (handle as unknown as { write: (...args: unknown[]) => Promise<unknown> }).write = (...args) => {
        counts.writes += 1;
        return write(...args);
      };
      return handle;
    };
  }

  it.each([
    ['O_DIRECT', true],
    ['buffered', false],
  ])('writes every byte at its place and hashes it (%s), with slow hashing', async (_mode, direct) => {
    const data = bytes(10 * BATCH + 1234, 5);
    const stats = { held: 0, maxHeld: 0, batches: 0 };
    const counts = { opened: 0, writes: 0 };
    const openDirectly = direct ? countingDirect(counts) : () => Promise.resolve(null);
    const writer = new PipelinedFileWriter(file, path, () => slowHasher(stats), BATCH, openDirectly);
    // A chunk of over three batches, tiny ones and odd ones.
    const hash = await writeAll(writer, chunksOf(data, [1000, 3, 200_000, 65_536, 7]));
    expect(hash).toBe(sha256(data));
    expect(await readFile(path)).toEqual(data);
    expect(stats.batches).toBe(11);
    // Bounded memory: never more than a few batches between the socket and the disk.
    expect(stats.maxHeld).toBeLessThanOrEqual(4);
    // /tmp on ext4 (CI, this machine) has O_DIRECT; tmpfs would not, and the writer falls back.
    if (counts.opened > 0) expect(counts.writes).toBe(11);
  });

  it('truncates a padded O_DIRECT tail back to the exact size', async () => {
    const data = bytes(2 * BATCH + 1, 2);
    const hash = await writeAll(new PipelinedFileWriter(file, path, workerSha256, BATCH), [data]);
    expect(hash).toBe(sha256(data));
    expect(await readFile(path)).toEqual(data);
  });

  it('hashes content of less than one batch inline, through the plain handle only', async () => {
    const createHasher = jest.fn(workerSha256);
    const openDirectly = jest.fn(openDirect);
    const data = bytes(1000, 1);
    const writer = new PipelinedFileWriter(file, path, createHasher, BATCH, openDirectly);
    expect(await writeAll(writer, chunksOf(data, [10, 300]))).toBe(sha256(data));
    expect(await readFile(path)).toEqual(data);
    expect(createHasher).not.toHaveBeenCalled();
    expect(openDirectly).not.toHaveBeenCalled();
  });

  it('writes nothing for empty content and hashes it', async () => {
    const writer = new PipelinedFileWriter(file, path, workerSha256, BATCH);
    expect(await writeAll(writer, [])).toBe(sha256(Buffer.alloc(0)));
    expect((await readFile(path)).length).toBe(0);
  });

  it('hashes on the worker thread past one batch (exact multiple of the batch size)', async () => {
    const data = bytes(3 * BATCH, 9);
    const writer = new PipelinedFileWriter(file, path, workerSha256, BATCH);
    expect(await writeAll(writer, chunksOf(data, [BATCH]))).toBe(sha256(data));
    expect(await readFile(path)).toEqual(data);
  });

  it('surfaces a failing hasher and settles in-flight work on abort', async () => {
    const failing: BatchHasher = {
      update: () => Promise.reject(new Error('hasher died')),
      digest: () => Promise.reject(new Error('unreachable')),
      abort: jest.fn(),
    };
    const writer = new PipelinedFileWriter(file, path, () => failing, BATCH);
    const error = await writeAll(writer, chunksOf(bytes(20 * BATCH, 1), [10_000])).catch((e: unknown) => e);
    expect(error).toMatchObject({ message: 'hasher died' });
    await writer.abort();
    expect(failing.abort).toHaveBeenCalled();
  });
});
