import { createHash } from 'node:crypto';
import { constants, open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { returnSlab, takeSlab } from './aligned-slab';
import type { AlignedSlab } from './aligned-slab';
import type { BatchHasher } from './sha256-worker';

/** Size of one disk write: socket chunks (~64 KiB) written one by one cost a syscall and a thread-pool round trip each. */
export const WRITE_BATCH_BYTES = 1024 * 1024;
/** Batches being hashed or written at once: bounds memory (this many + 1 batches) per upload. */
const MAX_IN_FLIGHT = 4;
/**
 * Writes running at once: the next one is already queued in the thread pool
 * when one completes (no round trip through the busy main thread between
 * them), while most of the pool stays free for everything else.
 */
const WRITE_DEPTH = 2;
/** Buffered writes only: a large upload is synced in steps while it arrives rather than all at the end. */
const SYNC_EVERY_BYTES = 32 * 1024 * 1024;
/** O_DIRECT lengths are padded to this (the largest logical block size in use); the file is truncated back. */
const DIRECT_ALIGN = 4096;

const ignore = (): void => undefined;

/** Opens `path` for O_DIRECT writes; null where the platform or filesystem has none (tmpfs, macOS). */
export async function openDirect(path: string): Promise<FileHandle | null> {
  if (constants.O_DIRECT === undefined) return null;
  return open(path, constants.O_WRONLY | constants.O_DIRECT).catch(() => null);
}

/**
 * Copies incoming chunks into batches of exactly `batchBytes` (the last one
 * shorter), so the disk sees few large writes whatever size the chunks come in.
 */
export class ChunkCoalescer {
  private current: Uint8Array | null = null;
  private filled = 0;

  constructor(
    private readonly batchBytes: number,
    private readonly allocate: () => Uint8Array,
  ) {}

  /** Copies from `chunk[offset..]` until it is used up or a batch is full; the bytes taken, and the full batch. */
  push(chunk: Uint8Array, offset = 0): { taken: number; full: Uint8Array | null } {
    const batch = (this.current ??= this.allocate());
    const taken = Math.min(this.batchBytes - this.filled, chunk.byteLength - offset);
    batch.set(chunk.subarray(offset, offset + taken), this.filled);
    this.filled += taken;
    if (this.filled < this.batchBytes) return { taken, full: null };
    this.current = null;
    this.filled = 0;
    return { taken, full: batch };
  }

  /** What is left after the last full batch (a view of the batch), or null when nothing is. */
  rest(): Uint8Array | null {
    const rest = this.current && this.filled > 0 ? this.current.subarray(0, this.filled) : null;
    this.current = null;
    this.filled = 0;
    return rest;
  }
}

/**
 * Hashes and writes a stream as a pipeline: while the main thread gathers one
 * batch from the socket, earlier ones are hashed on the hashing thread and
 * written by the thread pool. Content of less than one batch is hashed inline
 * and written through `file`, as a thread round trip would cost more than it
 * saves. Larger content goes through aligned shared memory and, where the
 * filesystem has it, a second O_DIRECT handle: it skips the page cache, whose
 * fresh pages cost more to fill than the disk write itself, and leaves no
 * dirty pages for the final fsync. `finish` resolves with the SHA-256 once
 * everything is durable (fdatasync).
 */
export class PipelinedFileWriter {
  private readonly coalescer: ChunkCoalescer;
  private readonly inFlight: Promise<void>[] = [];
  private slab: AlignedSlab | null = null;
  private hasher: BatchHasher | null = null;
  private direct: FileHandle | null = null;
  private position = 0;
  /** The last WRITE_DEPTH writes started. */
  private readonly writes: Promise<unknown>[] = [];
  private unsyncedBytes = 0;
  private syncing: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly file: FileHandle,
    private readonly path: string,
    private readonly createHasher: () => BatchHasher,
    private readonly batchBytes = WRITE_BATCH_BYTES,
    private readonly openDirectly: (path: string) => Promise<FileHandle | null> = openDirect,
  ) {
    this.coalescer = new ChunkCoalescer(batchBytes, () => this.slab?.take() ?? new Uint8Array(batchBytes));
  }

  /** Adds a chunk; returns a promise to await only when it filled a batch (most chunks fill none). */
  add(chunk: Uint8Array): Promise<void> | undefined {
    const { taken, full } = this.coalescer.push(chunk);
    return full ? this.submitAndContinue(full, chunk, taken) : undefined;
  }

  /** Writes what is left, waits until it is all on disk and returns the hex SHA-256. */
  async finish(): Promise<string> {
    const rest = this.coalescer.rest();
    let inlineHash: string | null = null;
    if (this.hasher) {
      if (rest) await this.submit(rest);
    } else {
      inlineHash = createHash('sha256')
        .update(rest ?? new Uint8Array(0))
        .digest('hex');
      if (rest) this.queueWrite(rest, rest.byteLength, Promise.resolve(rest));
    }
    await Promise.all(this.inFlight);
    await this.syncing;
    // Padded O_DIRECT tail: back to the exact size (before the sync, which makes the size durable too).
    if (this.direct && this.position % DIRECT_ALIGN !== 0) await this.direct.truncate(this.position);
    await this.file.datasync();
    const hash = inlineHash ?? (await this.hasher!.digest());
    await this.release();
    return hash;
  }

  /** After a failure: lets started work settle, then drops the hash state and frees the memory. */
  async abort(): Promise<void> {
    await Promise.allSettled([...this.inFlight, this.syncing]);
    this.hasher?.abort();
    await this.release();
  }

  private async release(): Promise<void> {
    const direct = this.direct;
    this.direct = null;
    await direct?.close().catch(ignore);
    if (this.slab) returnSlab(this.slab);
    this.slab = null;
  }

  /** Submits `full`, then goes on copying the rest of `chunk` (a chunk may fill several batches). */
  private async submitAndContinue(full: Uint8Array, chunk: Uint8Array, offset: number): Promise<void> {
    let batch: Uint8Array | null = full;
    while (batch) {
      await this.submit(batch);
      if (offset >= chunk.byteLength) return;
      const next = this.coalescer.push(chunk, offset);
      offset += next.taken;
      batch = next.full;
    }
  }

  private async submit(batch: Uint8Array): Promise<void> {
    if (!this.hasher) batch = await this.startPipeline(batch);
    while (this.inFlight.length >= MAX_IN_FLIGHT) await this.inFlight.shift();
    const length = batch.byteLength; // read first: a batch outside the slab is detached by update()
    this.queueWrite(batch, length, this.hasher!.update(batch));
  }

  /** The first full batch: from here on batches live in slab memory and go through the hashing thread. */
  private async startPipeline(first: Uint8Array): Promise<Uint8Array> {
    this.hasher = this.createHasher();
    this.slab = takeSlab(this.batchBytes, MAX_IN_FLIGHT + 1);
    this.direct = await this.openDirectly(this.path);
    const slot = this.slab.take()!;
    slot.set(first);
    return slot.subarray(0, first.byteLength);
  }

  /**
   * Writes the batch at the next position once it is hashed and at most
   * WRITE_DEPTH - 1 earlier writes are still running (positioned writes may
   * finish in any order). A slab batch is written from the original view (what
   * comes back from the thread is a new object over the same memory); any
   * other batch from what comes back, as the original was transferred away.
   */
  private queueWrite(batch: Uint8Array, length: number, hashed: Promise<Uint8Array>): void {
    const position = this.position;
    const turn = this.writes.length < WRITE_DEPTH ? undefined : this.writes.shift();
    const written = Promise.all([hashed, turn]).then(async ([returned]) => {
      const inSlab = this.slab?.holds(batch) === true;
      await this.writeAt(inSlab ? batch : returned, inSlab, position);
      if (inSlab) this.slab!.give(batch);
    });
    this.position += length;
    written.catch(ignore);
    this.writes.push(written);
    this.inFlight.push(written);
  }

  private async writeAt(batch: Uint8Array, inSlab: boolean, position: number): Promise<void> {
    if (this.direct && inSlab) {
      // The slot goes on past a short tail, so the padded length stays inside it.
      const padded = Math.ceil(batch.byteLength / DIRECT_ALIGN) * DIRECT_ALIGN;
      await this.direct.write(
        new Uint8Array(this.slab!.memory, batch.byteOffset, padded),
        0,
        padded,
        position,
      );
      return;
    }
    await this.file.write(batch, 0, batch.byteLength, position);
    this.unsyncedBytes += batch.byteLength;
    if (this.unsyncedBytes >= SYNC_EVERY_BYTES) this.syncInBackground();
  }

  /** Flushes what is written so far, so the final datasync has little left to do. */
  private syncInBackground(): void {
    this.unsyncedBytes = 0;
    const previous = this.syncing;
    this.syncing = previous.then(() => this.file.datasync());
    this.syncing.catch(ignore);
  }
}
