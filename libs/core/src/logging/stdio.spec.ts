import { FLUSH_SYNC_MS, FdDestination, STALLED_MS } from './stdio';
import type { FdWriter } from './stdio';

type Callback = (error: NodeJS.ErrnoException | null, written: number) => void;

const errno = (code: string) => Object.assign(new Error(code), { code });

/** An fd whose async writes complete only when the test says so. */
class FakeFd implements FdWriter {
  readonly pending: { buffer: Buffer; callback: Callback }[] = [];
  readonly written: string[] = [];
  writeSync = jest.fn((_fd: number, buffer: Buffer): number => {
    this.written.push(buffer.toString());
    return buffer.length;
  });

  write(_fd: number, buffer: Buffer, callback: Callback): void {
    this.pending.push({ buffer, callback });
  }

  /** Completes the oldest pending write: fully, partly (`bytes`), or with an error. */
  complete(outcome: { bytes?: number; error?: string } = {}): void {
    const { buffer, callback } = this.pending.shift()!;
    if (outcome.error) return callback(errno(outcome.error), 0);
    const bytes = outcome.bytes ?? buffer.length;
    this.written.push(buffer.subarray(0, bytes).toString());
    callback(null, bytes);
  }

  output(): string {
    return this.written.join('');
  }
}

describe('FdDestination', () => {
  let fd: FakeFd;
  let clock: number;
  let destination: FdDestination;

  beforeEach(() => {
    fd = new FakeFd();
    clock = 1_000;
    destination = new FdDestination(1, { writer: fd, now: () => clock });
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it('writes a line at once and merges lines queued behind a pending write', () => {
    destination.write('a\n');
    destination.write('b\n');
    destination.write('c\n');
    expect(fd.pending).toHaveLength(1);

    fd.complete();
    expect(fd.pending.map(({ buffer }) => buffer.toString())).toEqual(['b\nc\n']);
    fd.complete();

    expect(fd.output()).toBe('a\nb\nc\n');
    expect(fd.pending).toHaveLength(0);
  });

  it('writes the rest of a partial write first', () => {
    destination.write('hello\n');
    destination.write('next\n');

    fd.complete({ bytes: 2 });
    fd.complete();

    expect(fd.output()).toBe('hello\nnext\n');
  });

  it.each(['EPIPE', 'ECONNRESET', 'EBADF'])('drops all output silently after %s', (code) => {
    destination.write('a\n');
    destination.write('b\n');

    expect(() => fd.complete({ error: code })).not.toThrow();
    destination.write('c\n');
    destination.flushSync();

    expect(destination.writable).toBe(false);
    expect(fd.pending).toHaveLength(0);
    expect(fd.writeSync).not.toHaveBeenCalled();
  });

  it('drops output when the write call itself throws', () => {
    const throwing = new FdDestination(1, {
      writer: {
        write: () => {
          throw errno('EBADF');
        },
        writeSync: () => 0,
      },
    });

    expect(() => throwing.write('a\n')).not.toThrow();
    expect(throwing.writable).toBe(false);
  });

  it('retries a full pipe (EAGAIN) later', () => {
    jest.useFakeTimers();
    destination.write('a\n');

    fd.complete({ error: 'EAGAIN' });
    expect(fd.pending).toHaveLength(0);
    jest.advanceTimersByTime(20);
    fd.complete();

    expect(fd.output()).toBe('a\n');
    expect(destination.writable).toBe(true);
  });

  it('is idle only once a write in flight, retried after a full pipe, has gone out', async () => {
    const real = new FdDestination(1, { writer: fd });
    real.write('last line\n');
    let idle = false;
    const waiting = real.idle(5_000).then(() => (idle = true));

    fd.complete({ error: 'EAGAIN' });
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(idle).toBe(false);
    fd.complete();
    await waiting;

    expect(fd.output()).toBe('last line\n');
  });

  it('stops waiting for idle after the timeout when the reader never reads', async () => {
    const real = new FdDestination(1, { writer: fd });
    real.write('stuck\n');
    const started = Date.now();
    await real.idle(50);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    expect(fd.pending).toHaveLength(1);
  });

  it('drops new lines while too much output is unwritten', () => {
    const small = new FdDestination(1, { writer: fd, maxQueuedBytes: 4 });
    small.write('ab\n');
    small.write('cd\n');
    fd.complete();
    small.write('ef\n');
    fd.complete();

    expect(fd.output()).toBe('ab\nef\n');
  });

  describe('flushSync', () => {
    it('writes the lines queued behind a pending write', () => {
      destination.write('a\n');
      destination.write('b\n');
      destination.write('c\n');

      destination.flushSync();

      expect(fd.writeSync).toHaveBeenCalledTimes(2);
      expect(fd.written).toEqual(['b\n', 'c\n']);
    });

    it('does nothing when nothing is queued', () => {
      destination.write('a\n');
      fd.complete();

      destination.flushSync();

      expect(fd.writeSync).not.toHaveBeenCalled();
    });

    it('stops at once, without throwing, on EPIPE', () => {
      fd.writeSync.mockImplementation(() => {
        throw errno('EPIPE');
      });
      destination.write('a\n');
      destination.write('b\n');
      destination.write('c\n');

      expect(() => destination.flushSync()).not.toThrow();

      expect(fd.writeSync).toHaveBeenCalledTimes(1);
      expect(destination.writable).toBe(false);
    });

    it('gives up on a full pipe after FLUSH_SYNC_MS', () => {
      fd.writeSync.mockImplementation(() => {
        clock += 50;
        throw errno('EAGAIN');
      });
      destination.write('a\n');
      destination.write('b\n');

      destination.flushSync();

      expect(fd.writeSync).toHaveBeenCalledTimes(FLUSH_SYNC_MS / 50);
      // A later flush may still succeed: a full pipe is not a closed one.
      expect(destination.writable).toBe(true);
    });

    it('does not write when nothing got through for STALLED_MS (a reader that stopped reading)', () => {
      destination.write('a\n');
      destination.write('b\n');
      clock += STALLED_MS + 1;

      destination.flushSync();

      expect(fd.writeSync).not.toHaveBeenCalled();
    });
  });
});
