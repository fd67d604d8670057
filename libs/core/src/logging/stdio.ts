import { write as fsWrite, writeSync as fsWriteSync } from 'node:fs';

/** The two fs calls FdDestination makes; tests replace them. */
export interface FdWriter {
  write(
    fd: number,
    buffer: Buffer,
    callback: (error: NodeJS.ErrnoException | null, written: number) => void,
  ): void;
  writeSync(fd: number, buffer: Buffer): number;
}

export interface FdDestinationOptions {
  writer?: FdWriter;
  /** Unwritten output beyond which new lines are dropped (a reader that stopped reading). */
  maxQueuedBytes?: number;
  now?: () => number;
}

const FS_WRITER: FdWriter = {
  write: (fd, buffer, callback) => fsWrite(fd, buffer, 0, buffer.length, null, callback),
  writeSync: (fd, buffer) => fsWriteSync(fd, buffer),
};

const MAX_QUEUED_BYTES = 8 * 1024 * 1024;
/** Lines are merged into writes of at most this size (what a pipe or Docker takes at once). */
const MAX_CHUNK_BYTES = 16 * 1024;
/** Wait before writing again to a full non-blocking pipe (EAGAIN). */
const RETRY_MS = 20;
/** The longest flushSync takes (a full non-blocking pipe is retried until then). */
export const FLUSH_SYNC_MS = 200;
/** No write progress for this long: the reader is not reading, so flushSync does not try. */
export const STALLED_MS = 500;

const sleepCell = new Int32Array(new SharedArrayBuffer(4));
const sleep = (ms: number) => Atomics.wait(sleepCell, 0, 0, ms);

const isRetryable = (error: unknown) => {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === 'EAGAIN' || code === 'EBUSY';
};

/**
 * A pino destination for a file descriptor (stdout) that neither blocks nor throws.
 *
 * Lines are written asynchronously, so a slow or stuck reader never stalls the event
 * loop and shutdown timers still fire. A write error other than a full pipe (EPIPE:
 * the reader went away) turns output off for good, silently. flushSync, which runs at
 * process exit and on fatal, writes what is queued only while the reader keeps up and
 * for at most FLUSH_SYNC_MS.
 *
 * It replaces pino.destination (sonic-boom): sonic-boom's exit-time flushSync retries
 * EPIPE forever, so a process that logged a burst just before exiting into a closed
 * pipe never exited.
 */
export class FdDestination {
  private readonly writer: FdWriter;
  private readonly maxQueuedBytes: number;
  private readonly now: () => number;
  /** Lines not handed to a write yet; a chunk being written is not in here. */
  private readonly queue: Buffer[] = [];
  /** Bytes not written yet, including the chunk being written. */
  private queuedBytes = 0;
  /** A write, or the retry after EAGAIN, is pending. */
  private busy = false;
  private lastProgress = 0;
  private off = false;

  constructor(
    readonly fd: number,
    options: FdDestinationOptions = {},
  ) {
    this.writer = options.writer ?? FS_WRITER;
    this.maxQueuedBytes = options.maxQueuedBytes ?? MAX_QUEUED_BYTES;
    this.now = options.now ?? Date.now;
  }

  /** False once a write failed for good: everything since was dropped. */
  get writable(): boolean {
    return !this.off;
  }

  write(line: string): void {
    if (this.off) return;
    const buffer = Buffer.from(line, 'utf8');
    if (this.queuedBytes + buffer.length > this.maxQueuedBytes) return;
    this.queue.push(buffer);
    this.queuedBytes += buffer.length;
    if (this.busy) return;
    this.busy = true;
    this.lastProgress = this.now();
    this.writeNext();
  }

  /**
   * Resolves once nothing is queued or being written (or after `timeoutMs`). Wait for it
   * before exiting: a write in flight that hits a full pipe is requeued by its callback,
   * which never runs once the process has exited, so flushSync at exit cannot save it.
   */
  async idle(timeoutMs: number): Promise<void> {
    const deadline = this.now() + timeoutMs;
    while (this.busy && !this.off && this.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 5));
  }

  /** Writes what is queued now, within limits; never throws. */
  flushSync(): void {
    if (this.off || this.queue.length === 0) return;
    // Nothing got through for a while: a synchronous write to a blocking pipe would
    // wait for the reader forever.
    if (this.now() - this.lastProgress > STALLED_MS) return;
    const deadline = this.now() + FLUSH_SYNC_MS;
    while (this.queue.length > 0 && this.now() < deadline) {
      const chunk = this.queue[0]!;
      try {
        const written = this.writer.writeSync(this.fd, chunk);
        this.progress(written);
        if (written < chunk.length) this.queue[0] = chunk.subarray(written);
        else this.queue.shift();
      } catch (error) {
        if (!isRetryable(error)) return this.switchOff();
        sleep(5);
      }
    }
  }

  private writeNext(): void {
    if (this.off) return;
    if (this.queue.length === 0) {
      this.busy = false;
      return;
    }
    const chunk = this.takeChunk();
    try {
      this.writer.write(this.fd, chunk, (error, written) => this.afterWrite(chunk, error, written));
    } catch {
      this.switchOff();
    }
  }

  private afterWrite(chunk: Buffer, error: NodeJS.ErrnoException | null, written: number): void {
    if (this.off) return;
    if (error) {
      if (!isRetryable(error)) return this.switchOff();
      this.queue.unshift(chunk);
      setTimeout(() => this.writeNext(), RETRY_MS);
      return;
    }
    this.progress(written);
    if (written < chunk.length) this.queue.unshift(chunk.subarray(written));
    this.writeNext();
  }

  private progress(written: number): void {
    this.queuedBytes -= written;
    if (written > 0) this.lastProgress = this.now();
  }

  /** Takes queued lines, merged up to MAX_CHUNK_BYTES (always at least one). */
  private takeChunk(): Buffer {
    let count = 1;
    let size = this.queue[0]!.length;
    while (count < this.queue.length && size + this.queue[count]!.length <= MAX_CHUNK_BYTES) {
      size += this.queue[count]!.length;
      count++;
    }
    const parts = this.queue.splice(0, count);
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts, size);
  }

  private switchOff(): void {
    this.off = true;
    this.busy = false;
    this.queue.length = 0;
    this.queuedBytes = 0;
  }
}

let stdout: FdDestination | undefined;

/** The one destination on stdout that every logger of the process shares. */
export function stdoutDestination(): FdDestination {
  if (!stdout) {
    // Creating process.stdout makes a pipe non-blocking: a full pipe then fails a write
    // with EAGAIN (retried) instead of holding a thread-pool thread, which process.exit
    // waits for (forever, if the reader stopped reading).
    ignoreClosedStdio();
    const destination = new FdDestination(1);
    // Lines queued behind a write in progress would otherwise be lost at process.exit.
    process.once('exit', () => destination.flushSync());
    stdout = destination;
  }
  return stdout;
}

/** Waits (at most `timeoutMs`) until the process's stdout destination, if any, has written everything. */
export async function drainStdout(timeoutMs: number): Promise<void> {
  await stdout?.idle(timeoutMs);
}

let stdioIgnored = false;

/**
 * Call first thing in a process: once its reader went away (a closed pipe), a write
 * through process.stdout / process.stderr emits 'error', and with no listener that
 * crashes the process mid-shutdown. Output is lost either way.
 */
export function ignoreClosedStdio(): void {
  if (stdioIgnored) return;
  stdioIgnored = true;
  process.stdout.on('error', () => undefined);
  process.stderr.on('error', () => undefined);
}
