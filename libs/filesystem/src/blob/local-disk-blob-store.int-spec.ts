import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { NotFoundError, PayloadTooLargeError, ValidationError } from '@nexus/core';
import { LocalDiskBlobStore } from './local-disk-blob-store';
import { stopSha256Worker } from './sha256-worker';

const MiB = 1024 * 1024;
const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe('LocalDiskBlobStore', () => {
  let root: string;
  let store: LocalDiskBlobStore;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'nexus-blobs-'));
    store = new LocalDiskBlobStore({ rootDir: root, maxBytes: 4 * MiB });
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  afterAll(() => stopSha256Worker());

  it('round-trips content under cas/aa/bb/<sha256>', async () => {
    const content = 'hello, nexus\n';
    const result = await store.put(Readable.from([Buffer.from('hello, '), Buffer.from('nexus\n')]));
    const hash = sha256(content);
    expect(result).toEqual({ hash, size: 13, created: true });
    expect(await listFiles(root)).toEqual([join(root, 'cas', hash.slice(0, 2), hash.slice(2, 4), hash)]);
    expect(await text(await store.get(hash))).toBe(content);
    expect(await store.exists(hash)).toBe(true);
    // fs dates come from another realm than jest's Date: compare the time.
    expect(await store.stat(hash)).toMatchObject({ hash, size: 13 });
    expect((await store.stat(hash))!.modifiedAt.getTime()).toBeGreaterThan(Date.now() - 60_000);
  });

  it('stores empty content', async () => {
    const result = await store.put(Readable.from([]));
    expect(result).toEqual({ hash: sha256(''), size: 0, created: true });
    expect(await text(await store.get(result.hash))).toBe('');
  });

  it('reads inclusive byte ranges and refuses unsatisfiable ones', async () => {
    const { hash } = await store.put(Readable.from([Buffer.from('0123456789')]));
    expect(await text(await store.get(hash, { start: 2, end: 5 }))).toBe('2345');
    expect(await text(await store.get(hash, { start: 7 }))).toBe('789');
    expect(await text(await store.get(hash, { start: 8, end: 100 }))).toBe('89');
    expect(await text(await store.get(hash, { start: 9, end: 9 }))).toBe('9');
    await expect(store.get(hash, { start: 10 })).rejects.toMatchObject({ code: 'INVALID_RANGE' });
    await expect(store.get(hash, { start: 5, end: 4 })).rejects.toMatchObject({ code: 'INVALID_RANGE' });
    await expect(store.get(hash, { start: -1 })).rejects.toBeInstanceOf(ValidationError);
  });

  it('stores identical content once', async () => {
    const first = await store.put(Readable.from([Buffer.from('same bytes')]));
    const second = await store.put(Readable.from([Buffer.from('same '), Buffer.from('bytes')]));
    expect(first.created).toBe(true);
    expect(second).toEqual({ hash: first.hash, size: first.size, created: false });
    expect(await listFiles(root)).toHaveLength(1);
  });

  it('touches a blob that identical content is put onto (GC spares recently used blobs)', async () => {
    const { hash } = await store.put(Readable.from([Buffer.from('reused')]));
    const longAgo = new Date('2020-01-01T00:00:00Z');
    await utimes(store.pathOf(hash), longAgo, longAgo);
    expect((await store.stat(hash))?.modifiedAt).toEqual(longAgo);
    await store.put(Readable.from([Buffer.from('reused')]));
    expect((await store.stat(hash))!.modifiedAt.getTime()).toBeGreaterThan(Date.now() - 60_000);
  });

  it('lists stored blobs, ignoring temp files and stray names', async () => {
    const a = await store.put(Readable.from([Buffer.from('a')]));
    const b = await store.put(Readable.from([Buffer.from('bb')]));
    await writeFile(join(root, 'cas', 'tmp', 'left.part'), 'x');
    await writeFile(join(root, 'cas', a.hash.slice(0, 2), a.hash.slice(2, 4), 'not-a-blob'), 'x');
    const listed = [];
    for await (const blob of store.list()) listed.push(blob);
    expect(listed.sort((x, y) => x.size - y.size).map(({ hash, size }) => ({ hash, size }))).toEqual([
      { hash: a.hash, size: 1 },
      { hash: b.hash, size: 2 },
    ]);
  });

  it('concurrent puts of the same content leave one blob and no temp files', async () => {
    const chunk = Buffer.alloc(256 * 1024, 7);
    const results = await Promise.all(
      Array.from({ length: 8 }, () => store.put(Readable.from([chunk, chunk, chunk]))),
    );
    const hash = sha256(Buffer.concat([chunk, chunk, chunk]));
    expect(new Set(results.map((r) => r.hash))).toEqual(new Set([hash]));
    expect(results.every((r) => r.size === 3 * chunk.length)).toBe(true);
    expect(results.some((r) => r.created)).toBe(true);
    expect(await listFiles(root)).toEqual([store.pathOf(hash)]);
    expect(
      sha256(
        Buffer.from(await (await store.get(hash)).toArray().then((parts: Buffer[]) => Buffer.concat(parts))),
      ),
    ).toBe(hash);
  });

  it('round-trips multi-MiB content byte for byte (pipelined hashing and writing)', async () => {
    const content = Buffer.alloc(3 * MiB + 12_344);
    for (let i = 0; i < content.length; i += 4) content.writeUInt32LE((i * 2654435761) >>> 0, i);
    const chunks = [];
    for (let i = 0; i < content.length; i += 65_000) chunks.push(content.subarray(i, i + 65_000));
    const result = await store.put(Readable.from(chunks));
    expect(result).toEqual({ hash: sha256(content), size: content.length, created: true });
    const stored = Buffer.concat(await (await store.get(result.hash)).toArray());
    expect(stored.equals(content)).toBe(true);
  });

  it('a put whose stream fails midway leaves no temp file and no blob', async () => {
    async function* failing(): AsyncGenerator<Buffer> {
      yield Buffer.alloc(64 * 1024, 1);
      yield Buffer.alloc(64 * 1024, 2);
      throw new Error('client went away');
    }
    await expect(store.put(Readable.from(failing()))).rejects.toThrow('client went away');
    expect(await listFiles(root)).toEqual([]);
  });

  it('refuses content over maxBytes with 413 and removes the temp file', async () => {
    let pulled = 0;
    async function* endless(): AsyncGenerator<Buffer> {
      for (;;) {
        pulled += 1;
        yield Buffer.alloc(MiB, 3);
      }
    }
    const error: unknown = await store.put(endless()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PayloadTooLargeError);
    expect(error).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE', details: { maxBytes: 4 * MiB } });
    expect(pulled).toBe(5);
    expect(await listFiles(root)).toEqual([]);
  });

  it('accepts content of exactly maxBytes and honours a lower per-put limit', async () => {
    const exact = await store.put(Readable.from([Buffer.alloc(4 * MiB)]));
    expect(exact.size).toBe(4 * MiB);
    await expect(store.put(Readable.from([Buffer.from('12345')]), { maxBytes: 4 })).rejects.toBeInstanceOf(
      PayloadTooLargeError,
    );
    expect(await listFiles(root)).toEqual([store.pathOf(exact.hash)]);
  });

  it('deletes blobs and reports missing ones', async () => {
    const { hash } = await store.put(Readable.from([Buffer.from('bye')]));
    expect(await store.delete(hash)).toBe(true);
    expect(await store.delete(hash)).toBe(false);
    expect(await store.exists(hash)).toBe(false);
    expect(await store.stat(hash)).toBeNull();
    await expect(store.get(hash)).rejects.toBeInstanceOf(NotFoundError);
    await expect(store.get(hash)).rejects.toMatchObject({ code: 'BLOB_NOT_FOUND' });
  });

  it('rejects hashes that are not SHA-256 hex (no path smuggling)', async () => {
    for (const bad of ['../../etc/passwd', 'A'.repeat(64), 'a'.repeat(63), `${'a'.repeat(62)}/x`]) {
      await expect(store.get(bad)).rejects.toMatchObject({ code: 'INVALID_HASH', status: 400 });
      await expect(store.exists(bad)).rejects.toMatchObject({ code: 'INVALID_HASH' });
      await expect(store.delete(bad)).rejects.toMatchObject({ code: 'INVALID_HASH' });
    }
  });

  it('removes stale temp files left by a crash, keeping fresh ones', async () => {
    const tempDir = join(root, 'cas', 'tmp');
    await store.put(Readable.from([Buffer.from('x')]));
    await writeFile(join(tempDir, 'old.part'), 'partial');
    await writeFile(join(tempDir, 'new.part'), 'in flight');
    const hourAgo = new Date(Date.now() - 3_600_000);
    await utimes(join(tempDir, 'old.part'), hourAgo, hourAgo);
    expect(await store.removeStaleTempFiles(new Date(Date.now() - 60_000))).toBe(1);
    expect((await readdir(tempDir)).sort()).toEqual(['new.part']);
  });

  it('streams 50 MiB with peak RSS growth under 64 MiB (and well under the content size)', async () => {
    const big = new LocalDiskBlobStore({ rootDir: root, maxBytes: 64 * MiB });
    const expected = createHash('sha256');
    const chunk = Buffer.alloc(64 * 1024);
    const before = process.memoryUsage().rss;
    let peak = before;
    // Pulled directly (no read-ahead), so one buffer is refilled per chunk: the only
    // memory that can grow with the content is memory the store itself holds.
    async function* fiftyMiB(): AsyncGenerator<Buffer> {
      for (let i = 0; i < 50 * 16; i += 1) {
        chunk.fill(i % 251);
        expected.update(chunk);
        peak = Math.max(peak, process.memoryUsage().rss);
        yield chunk;
      }
    }
    const result = await big.put(fiftyMiB());
    peak = Math.max(peak, process.memoryUsage().rss);
    expect(result.size).toBe(50 * MiB);
    expect(result.hash).toBe(expected.digest('hex'));
    expect(peak - before).toBeLessThan(64 * MiB);
    expect(peak - before).toBeLessThan(32 * MiB);
  });
});
