import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NotFoundError } from '@nexus/core';
import type { BlobStore } from '@nexus/filesystem';
import { analyzeContent } from './content-analysis';
import { buildDocument } from './document-builder';
import type { LiveFile } from './live-files';

/** A blob store over a directory (one file per hash), with or without local paths. */
function directoryStore(dir: string, local: boolean): BlobStore {
  const path = (hash: string) => join(dir, hash);
  const store = {
    read: async (hash: string) => {
      try {
        return readFileSync(path(hash));
      } catch {
        throw new NotFoundError(`blob ${hash}`);
      }
    },
    ...(local ? { localPath: path } : {}),
  };
  return store as unknown as BlobStore;
}

const file = (hash: string, size = 10): LiveFile => ({
  id: hash,
  path: `/${hash}.txt`,
  version: 1,
  contentHash: hash,
  size,
  mimeType: 'text/plain',
  metadata: {},
  tags: [],
});

describe('buildDocument: content analysed on worker threads answers as on the caller', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nexus-analysis-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const texts = Array.from(
    { length: 30 },
    (_, i) => `const parseConfig${i} = load_config(file_${i % 4}.path); // running ${'x'.repeat(i)}\n`,
  );
  texts.forEach((text, i) => writeFileSync(join(dir, `t${i}`), text));
  writeFileSync(join(dir, 'bin'), Buffer.from([1, 2, 0, 3]));

  it.each([true, false])(
    'text files (local paths: %s) carry the same analysis as analyzeContent',
    async (local) => {
      const blobs = directoryStore(dir, local);
      const built = await Promise.all(texts.map((_, i) => buildDocument(file(`t${i}`), blobs, 1 << 20)));
      built.forEach((doc, i) => {
        expect(doc?.contentKind).toBe('text');
        expect(doc?.analysis).toEqual(analyzeContent(Buffer.from(texts[i]!)));
      });
    },
  );

  it('with local paths, the threads read and analyse (the calling thread never reads)', async () => {
    const blobs = {
      read: () => Promise.reject(new Error('read on the calling thread')),
      localPath: (hash: string) => join(dir, hash),
    } as unknown as BlobStore;
    const doc = await buildDocument(file('t3'), blobs, 1 << 20);
    expect(doc?.analysis).toEqual(analyzeContent(Buffer.from(texts[3]!)));
  });

  it('binary by a NUL byte, large by size (name only), null when the blob is gone', async () => {
    for (const local of [true, false]) {
      const blobs = directoryStore(dir, local);
      await expect(buildDocument(file('bin'), blobs, 1 << 20)).resolves.toMatchObject({
        contentKind: 'binary',
        analysis: null,
      });
      await expect(buildDocument(file('t1', 100), blobs, 50)).resolves.toMatchObject({
        contentKind: 'large',
        analysis: null,
      });
      await expect(buildDocument(file('gone'), blobs, 1 << 20)).resolves.toBeNull();
    }
  });
});
