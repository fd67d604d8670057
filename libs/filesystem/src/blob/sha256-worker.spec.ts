import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { stopSha256Worker, workerSha256 } from './sha256-worker';

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

function batchOf(size: number, seed: number): Uint8Array {
  const batch = new Uint8Array(size);
  for (let i = 0; i < size; i += 1) batch[i] = (i * 31 + seed) & 0xff;
  return batch;
}

describe('workerSha256', () => {
  afterAll(() => stopSha256Worker());

  it('hashes interleaved streams independently and hands every batch back intact', async () => {
    const a = workerSha256();
    const b = workerSha256();
    const aParts = [batchOf(1000, 1), batchOf(70_000, 2), batchOf(3, 3)];
    const bParts = [batchOf(5, 4), batchOf(4096, 5)];
    const aCopies = aParts.map((part) => Buffer.from(part));
    const bCopies = bParts.map((part) => Buffer.from(part));
    const back = await Promise.all([
      a.update(aParts[0]!),
      b.update(bParts[0]!),
      a.update(aParts[1]!),
      b.update(bParts[1]!),
      a.update(aParts[2]!),
    ]);
    // Transferred: the sender's view is detached until the batch comes back.
    expect(aParts[1]!.byteLength).toBe(0);
    expect(back.map((batch) => Buffer.from(batch))).toEqual([
      aCopies[0],
      bCopies[0],
      aCopies[1],
      bCopies[1],
      aCopies[2],
    ]);
    expect(await a.digest()).toBe(sha256(Buffer.concat(aCopies)));
    expect(await b.digest()).toBe(sha256(Buffer.concat(bCopies)));
  });

  it('hashes only the view of a batch, not the rest of its buffer', async () => {
    const whole = batchOf(100, 9);
    const expected = sha256(Buffer.from(whole.subarray(0, 40)));
    const hasher = workerSha256();
    await hasher.update(whole.subarray(0, 40));
    expect(await hasher.digest()).toBe(expected);
  });

  it('digests empty content, and a dropped stream does not disturb the next answers', async () => {
    const dropped = workerSha256();
    await dropped.update(batchOf(10, 1));
    dropped.abort();
    expect(await workerSha256().digest()).toBe(sha256(Buffer.alloc(0)));
  });

  it('fails the streams of a dead thread and starts a new thread for the next stream', async () => {
    const hasher = workerSha256();
    await hasher.update(batchOf(1024, 1));
    await stopSha256Worker();
    await expect(hasher.update(batchOf(16, 1))).rejects.toThrow('SHA-256 worker exited');
    await expect(hasher.digest()).rejects.toThrow('SHA-256 worker exited');
    const next = workerSha256();
    await next.update(batchOf(8, 2));
    expect(await next.digest()).toBe(sha256(Buffer.from(batchOf(8, 2))));
  });

  it('keeps no process alive while idle (a process that used it exits by itself)', async () => {
    const root = join(__dirname, '..', '..', '..', '..');
    const script =
      `const { prestartSha256Worker, workerSha256 } = require(${JSON.stringify(join(__dirname, 'sha256-worker.ts'))});` +
      `prestartSha256Worker(); const h = workerSha256();` +
      `h.update(new Uint8Array(8)).then(() => h.digest()).then((hex) => console.log(hex));`;
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        ['-r', '@swc-node/register', '-e', script],
        {
          cwd: root,
          env: { ...process.env, SWC_NODE_PROJECT: join(root, 'tsconfig.base.json') },
          timeout: 20_000,
        },
        (error, out) => (error ? reject(new Error(error.message)) : resolve(out)),
      );
    });
    expect(stdout.trim()).toBe(sha256(Buffer.alloc(8)));
  });
});
