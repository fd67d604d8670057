import { randomUUID } from 'node:crypto';
import type { Principal } from '@nexus/core';
import { BLOB_STORE, FsContentOps, FsMetadataWriter, FsTree } from '@nexus/filesystem';
import { RebacService, RebacTuplesService } from '@nexus/rebac';
import { trigramBucket } from './entities/search-posting.entity';
import { contentTrigrams } from './grep/byte-trigrams';
import { SearchIndexWriter } from './index/index-writer';
import { SearchReindexHandler } from './jobs/search-reindex.handler';
import { GlobSearch } from './service/glob-search.service';
import { GrepSearch } from './service/grep-search.service';
import { SearchStatusService } from './service/search-status.service';
import { startSearchContext } from './testing';
import type { SearchTestContext } from './testing';

function principal(zoneId: string = randomUUID(), overrides: Partial<Principal> = {}): Principal {
  return {
    subjectType: 'user',
    subjectId: `u-${randomUUID().slice(0, 8)}`,
    zoneId,
    role: 'editor',
    superuser: false,
    keyId: null,
    ...overrides,
  };
}

describe('search index: follows the files through the relay; glob and grep over it (PostgreSQL, Redis)', () => {
  let ctx: SearchTestContext;
  let tree: FsTree;
  let metadata: FsMetadataWriter;
  let globs: GlobSearch;
  let greps: GrepSearch;
  let statuses: SearchStatusService;

  beforeAll(async () => {
    ctx = await startSearchContext({ env: { NEXUS_SEARCH_MAX_BYTES: '4096' } });
    tree = ctx.app.get(FsTree);
    metadata = ctx.app.get(FsMetadataWriter);
    globs = ctx.app.get(GlobSearch);
    greps = ctx.app.get(GrepSearch);
    statuses = ctx.app.get(SearchStatusService);
  }, 60_000);

  afterAll(async () => ctx?.close());

  async function documents(zoneId: string) {
    return ctx.db.query<Array<{ path: string; version: number; content_kind: string; tags: string[] }>>(
      `SELECT path, version, content_kind, tags FROM search_documents WHERE zone_id = $1 ORDER BY path COLLATE "C"`,
      [zoneId],
    );
  }

  const grepPaths = async (who: Principal, pattern: string, extra: object = {}) =>
    (await greps.grep(who, { pattern, ...extra })).matches.map((m) => `${m.path}:${m.line}`);

  it('indexes writes, overwrites, binary and large files; follows subtree renames, deletes and metadata', async () => {
    const alice = principal();
    await ctx.write(alice, '/src/a.ts', 'export const alpha = 1;\n');
    await ctx.write(alice, '/src/lib/b.ts', 'function beta() {}\n');
    await ctx.write(alice, '/bin/blob.dat', Buffer.from([1, 0, 2, 3]));
    let revision = await ctx.write(alice, '/big.txt', 'x'.repeat(5000));
    await ctx.indexed(alice, revision);
    expect(await documents(alice.zoneId)).toEqual([
      { path: '/big.txt', version: 1, content_kind: 'large', tags: [] },
      { path: '/bin/blob.dat', version: 1, content_kind: 'binary', tags: [] },
      { path: '/src/a.ts', version: 1, content_kind: 'text', tags: [] },
      { path: '/src/lib/b.ts', version: 1, content_kind: 'text', tags: [] },
    ]);
    expect(await grepPaths(alice, 'alpha')).toEqual(['/src/a.ts:1']);

    revision = await ctx.write(alice, '/src/a.ts', 'export const gamma = 2;\n');
    await ctx.indexed(alice, revision);
    expect(await grepPaths(alice, 'alpha')).toEqual([]);
    expect(await grepPaths(alice, 'gamma')).toEqual(['/src/a.ts:1']);

    revision = BigInt((await tree.rename(alice, '/src', '/moved')).revision!);
    await ctx.indexed(alice, revision);
    expect((await documents(alice.zoneId)).map((d) => d.path)).toEqual([
      '/big.txt',
      '/bin/blob.dat',
      '/moved/a.ts',
      '/moved/lib/b.ts',
    ]);
    expect(await grepPaths(alice, 'beta')).toEqual(['/moved/lib/b.ts:1']);

    revision = BigInt((await metadata.update(alice, '/moved/lib/b.ts', { addTags: ['reviewed'] })).revision!);
    await ctx.indexed(alice, revision);
    expect((await documents(alice.zoneId)).find((d) => d.path === '/moved/lib/b.ts')?.tags).toEqual([
      'reviewed',
    ]);

    revision = BigInt((await tree.deleteFile(alice, '/moved/a.ts')).revision!);
    revision = BigInt((await tree.rmdir(alice, '/bin', { recursive: true })).revision!);
    await ctx.indexed(alice, revision);
    expect((await documents(alice.zoneId)).map((d) => d.path)).toEqual(['/big.txt', '/moved/lib/b.ts']);

    revision = await ctx.write(alice, '/moved/lib/b.ts', 'function delta() {}\n');
    revision = BigInt((await ctx.app.get(FsContentOps).restore(alice, '/moved/lib/b.ts', 1)).revision!);
    await ctx.indexed(alice, revision);
    expect(await grepPaths(alice, 'beta|delta')).toEqual(['/moved/lib/b.ts:1']);
    expect((await greps.grep(alice, { pattern: 'beta' })).matches[0]).toMatchObject({ version: 3 });

    const status = await statuses.status(alice.zoneId);
    expect(status).toMatchObject({
      files: 2,
      textFiles: 1,
      largeFiles: 1,
      binaryFiles: 0,
      lag: { behind: 0 },
    });
  });

  it('glob answers picomatch patterns from the paths, paged without repeats, only readable entries', async () => {
    const alice = principal();
    const bob = principal(alice.zoneId);
    for (const path of [
      '/docs/a.md',
      '/docs/b.md',
      '/docs/.hidden.md',
      '/docs/deep/c.md',
      '/src/x.ts',
      '/secret/s.md',
    ])
      await ctx.write(alice, path, path);
    const page = await globs.glob(alice, { pattern: '**/*.md' });
    expect(page.items.map((i) => i.path)).toEqual([
      '/docs/a.md',
      '/docs/b.md',
      '/docs/deep/c.md',
      '/secret/s.md',
    ]);
    const dotted = await globs.glob(alice, { pattern: 'docs/*.md', dot: true });
    expect(dotted.items.map((i) => i.path)).toEqual(['/docs/.hidden.md', '/docs/a.md', '/docs/b.md']);

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const next = await globs.glob(alice, { pattern: '**', limit: 2, cursor });
      seen.push(...next.items.map((i) => i.path));
      cursor = next.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual([...new Set(seen)]);
    expect(seen).toEqual([
      '/docs',
      '/docs/a.md',
      '/docs/b.md',
      '/docs/deep',
      '/docs/deep/c.md',
      '/secret',
      '/secret/s.md',
      '/src',
      '/src/x.ts',
    ]);

    // bob may read /docs only: what he cannot read never shows.
    const docs = (await globs.glob(alice, { pattern: 'docs' })).items[0]!;
    await ctx.app.get(RebacTuplesService).write(alice.zoneId, {
      writes: [
        {
          object: { type: 'file', id: docs.id },
          relation: 'viewer',
          subject: { type: 'user', id: bob.subjectId },
        },
      ],
    });
    expect((await globs.glob(bob, { pattern: '**/*.md' })).items.map((i) => i.path)).toEqual([
      '/docs/a.md',
      '/docs/b.md',
      '/docs/deep/c.md',
    ]);
    await expect(globs.glob(alice, { pattern: '[' })).rejects.toMatchObject({
      status: 400,
      details: { field: 'pattern' },
    });
  });

  it('grep narrows by trigrams, verifies, orders by (path, line), filters permissions and reports limits', async () => {
    const alice = principal();
    const bob = principal(alice.zoneId);
    await ctx.write(alice, '/p/one.ts', 'const needle = 1;\nno match here\nneedle again\n');
    await ctx.write(alice, '/p/two.ts', 'other text\n');
    await ctx.write(alice, '/q/three.ts', 'a needle(in) the haystack\n');
    const revision = await ctx.write(alice, '/q/four.md', 'NEEDLE upper\n');
    await ctx.indexed(alice, revision);

    const result = await greps.grep(alice, { pattern: 'needle' });
    expect(result.matches.map((m) => [m.path, m.line, m.column])).toEqual([
      ['/p/one.ts', 1, 7],
      ['/p/one.ts', 3, 1],
      ['/q/three.ts', 1, 3],
    ]);
    // Only trigram candidates were read (the index folds ASCII case, so NEEDLE is one); two.ts never was.
    expect(result.filesSearched).toBe(3);
    expect(await grepPaths(alice, 'needle', { ignoreCase: true })).toEqual([
      '/p/one.ts:1',
      '/p/one.ts:3',
      '/q/four.md:1',
      '/q/three.ts:1',
    ]);
    expect(await grepPaths(alice, 'needle(in)', { literal: true })).toEqual(['/q/three.ts:1']);
    expect(await grepPaths(alice, 'needle', { glob: '**/*.ts', path: '/q' })).toEqual(['/q/three.ts:1']);
    expect(await greps.grep(alice, { pattern: 'needle', maxMatches: 2 })).toMatchObject({
      truncated: true,
      truncatedBy: 'matches',
    });
    expect(await greps.grep(bob, { pattern: 'needle' })).toMatchObject({ matches: [], filesSearched: 0 });
    await expect(greps.grep(alice, { pattern: '(a)\\1' })).rejects.toMatchObject({
      status: 400,
      details: { field: 'pattern' },
    });
  });

  it('reindex rebuilds a zone as a job with progress; one pending reindex per zone', async () => {
    const alice = principal();
    for (let i = 0; i < 5; i++) await ctx.write(alice, `/r/f${i}.txt`, `reindexed line ${i}\n`);
    const revision = await ctx.write(alice, '/r/last.txt', 'last\n');
    await ctx.indexed(alice, revision);
    // Lose the index rows (and add one for a file that does not exist): the reindex repairs both.
    await ctx.db.query(`DELETE FROM search_documents WHERE zone_id = $1 AND path LIKE '/r/f%'`, [
      alice.zoneId,
    ]);
    await ctx.db.query(
      `INSERT INTO search_documents (id, zone_id, path, version, content_hash, size, content_kind, doc_no)
       VALUES ($1, $2, '/ghost.txt', 1, $3, 1, 'text', nextval('search_doc_no_seq'))`,
      [randomUUID(), alice.zoneId, 'a'.repeat(64)],
    );
    const operator = { ...alice, role: 'operator' as const };
    const first = await statuses.reindex(operator);
    expect(first.created).toBe(true);
    expect(await statuses.reindex(operator)).toEqual({ jobId: first.jobId, created: false });

    const progress: Array<{ done: number; total?: number | null }> = [];
    const outcome = await ctx.app.get(SearchReindexHandler).handle(
      {},
      {
        jobId: first.jobId,
        zoneId: alice.zoneId,
        createdBy: 'user:op',
        attempt: 1,
        maxAttempts: 3,
        signal: new AbortController().signal,
        progress: async (update) => void progress.push(update),
      },
    );
    // Compacted: one postings row per bucket of a distinct term (reindex, line, 0–4, last) and of the trigrams.
    const contents = [...Array.from({ length: 5 }, (_, i) => `reindexed line ${i}\n`), 'last\n'];
    const trigramBuckets = new Set(
      contents.flatMap((text) => [...contentTrigrams(Buffer.from(text))].map(trigramBucket)),
    );
    expect(outcome).toEqual({
      status: 'succeeded',
      result: { files: 6, rebuilt: 5, removed: 1, postingRows: 8 + trigramBuckets.size },
    });
    expect(progress.at(-1)).toMatchObject({ done: 6, total: 6 });
    expect((await documents(alice.zoneId)).map((d) => d.path)).toEqual([
      '/r/f0.txt',
      '/r/f1.txt',
      '/r/f2.txt',
      '/r/f3.txt',
      '/r/f4.txt',
      '/r/last.txt',
    ]);
    expect(await grepPaths(alice, 'reindexed line 3')).toEqual(['/r/f3.txt:1']);
  });

  it('permission filtering equals list-objects for the same user (glob and grep)', async () => {
    const alice = principal();
    const bob = principal(alice.zoneId);
    let revision = 0n;
    for (const dir of ['a', 'b', 'c'])
      for (const sub of ['x', 'y'])
        for (let i = 0; i < 4; i++)
          revision = await ctx.write(alice, `/${dir}/${sub}/f${i}.txt`, `common word ${i}\n`);
    await ctx.indexed(alice, revision);
    const ids = new Map(
      (await globs.glob(alice, { pattern: '**', limit: 1000 })).items.map((i) => [i.path, i.id]),
    );
    const tuples = ctx.app.get(RebacTuplesService);
    const grantTo = (path: string) =>
      tuples.write(alice.zoneId, {
        writes: [
          {
            object: {
              type: 'file',
              id: ids.get(path)!,
            },
            relation: 'viewer',
            subject: { type: 'user', id: bob.subjectId },
          },
        ],
      });
    for (const path of ['/a', '/b/y', '/c/x/f2.txt', '/c/y/f0.txt']) await grantTo(path);

    const listed = new Set<string>();
    let cursor: string | undefined;
    do {
      const page = await ctx.app.get(RebacService).listObjects(alice.zoneId, {
        type: 'file',
        relation: 'viewer',
        subject: { type: 'user', id: bob.subjectId },
        cursor,
      });
      for (const object of page.items) listed.add(object.id);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    const globbed = (await globs.glob(bob, { pattern: '**', limit: 1000 })).items.map((i) => i.id);
    expect(new Set(globbed)).toEqual(listed);
    const grepped = new Set(
      (await greps.grep(bob, { pattern: 'common' })).matches.map((m) => ids.get(m.path)!),
    );
    const listedFiles = new Set(
      [...listed].filter((id) => [...ids].some(([path, i]) => i === id && path.endsWith('.txt'))),
    );
    expect(grepped).toEqual(listedFiles);
    expect(grepped.size).toBe(4 + 4 + 4 + 2);
  });

  it('skips a file whose blob is gone (a later event indexes it) instead of failing the batch', async () => {
    const alice = principal();
    const writer = new SearchIndexWriter(ctx.app.get(BLOB_STORE), 1024 * 1024);
    const ghost = {
      id: randomUUID(),
      path: '/ghost.txt',
      version: 1,
      contentHash: 'b'.repeat(64),
      size: 5,
      mimeType: null,
      metadata: {},
      tags: [],
    };
    await expect(ctx.db.transaction((m) => writer.indexFiles(m, alice.zoneId, [ghost]))).resolves.toBe(0);
    expect(await documents(alice.zoneId)).toEqual([]);
  });

  it('a read waiting for a revision the index has not reached answers 503 with Retry-After after 5 s', async () => {
    const alice = principal();
    await ctx.write(alice, '/w.txt', 'x');
    const started = Date.now();
    await expect(ctx.indexed(alice, 10n ** 15n)).rejects.toMatchObject({
      status: 503,
      code: 'INDEX_NOT_FRESH',
      details: { retryAfterSeconds: 1 },
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(4_900);
  }, 15_000);

  it('greps one version of a file', async () => {
    const alice = principal();
    await ctx.write(alice, '/v.txt', 'first version\n');
    await ctx.write(alice, '/v.txt', 'second version\n');
    expect((await greps.grep(alice, { pattern: 'first', path: '/v.txt', version: 1 })).matches).toMatchObject(
      [{ path: '/v.txt', version: 1, line: 1, text: 'first version' }],
    );
    await expect(greps.grep(alice, { pattern: 'x', path: '/v.txt', version: 9 })).rejects.toMatchObject({
      status: 404,
    });
  });
});
