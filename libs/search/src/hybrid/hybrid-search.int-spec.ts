import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Principal } from '@nexus/core';
import { BLOB_STORE, FsAccess, FsTree } from '@nexus/filesystem';
import { RebacTuplesService } from '@nexus/rebac';
import { SearchReindexHandler } from '../jobs/search-reindex.handler';
import { FullTextSearch } from '../service/fulltext-search.service';
import type { FullTextRequest, FullTextResult } from '../service/fulltext-search.service';
import { startSearchContext } from '../testing';
import type { SearchTestContext } from '../testing';
import { HashingEmbeddingProvider } from './embedding-provider';
import { HybridRanking } from './hybrid-ranking';
import { RRF_K } from './rank-fusion';

function principal(zoneId: string = randomUUID()): Principal {
  const subjectId = `u-${randomUUID().slice(0, 8)}`;
  return { subjectType: 'user', subjectId, zoneId, role: 'editor', superuser: false, keyId: null };
}

/** Resolves once `search.embed` has passed every event of the zone so far (or fails after `ms`). */
async function embedded(ctx: SearchTestContext, zoneId: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const [row] = await ctx.db.query<Array<{ head: string; done: string | null }>>(
      `SELECT z.position AS head, p.position AS done FROM outbox_zone_positions z
         LEFT JOIN event_consumer_positions p ON p.consumer = 'search.embed' AND p.zone_key = z.zone_key
        WHERE z.zone_key = $1`,
      [zoneId],
    );
    if (row && Number(row.done ?? 0) >= Number(row.head)) return;
    if (Date.now() > deadline) throw new Error(`search.embed has not caught up in zone ${zoneId}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function embeddingRows(ctx: SearchTestContext, zoneId: string) {
  return ctx.db.query<
    Array<{ path: string; fileHash: string; contentHash: string; model: string; bytes: number }>
  >(
    `SELECT f.path, f.content_hash AS "fileHash", e.content_hash AS "contentHash", e.model,
            length(e.vector) AS bytes
       FROM search_embeddings e JOIN file_paths f ON f.id = e.id
      WHERE e.zone_id = $1 ORDER BY f.path`,
    [zoneId],
  );
}

describe('hybrid ranking: BM25 fused with hashing-provider vectors (PostgreSQL, Redis)', () => {
  let ctx: SearchTestContext;
  let search: FullTextSearch;

  beforeAll(async () => {
    ctx = await startSearchContext({ env: { NEXUS_SEARCH_EMBEDDINGS: 'hashing' } });
    search = ctx.app.get(FullTextSearch);
  }, 60_000);

  afterAll(async () => ctx?.close());

  /** Writes the files and waits until both the index and the embeddings have them. */
  async function writeAll(who: Principal, files: Record<string, string | Buffer>): Promise<void> {
    await ctx.writeIndexed(who, files);
    await embedded(ctx, who.zoneId);
  }

  const query = (who: Principal, q: string, extra: Partial<FullTextRequest> = {}) =>
    search.query(who, { q, limit: 100, ...extra });
  const paths = (result: FullTextResult) => result.items.map((hit) => hit.path);

  it('(a) bm25 answers exact matches only; hybrid adds similar files, the exact match first', async () => {
    const alice = principal();
    await writeAll(alice, {
      '/all.txt': 'alpha beta gamma are three letters',
      '/two.txt': 'alpha beta and nothing else',
      '/none.txt': 'unrelated words entirely',
    });
    const bm25 = await query(alice, 'alpha beta gamma', { ranking: 'bm25' });
    expect(bm25.ranking).toBe('bm25');
    expect(paths(bm25)).toEqual(['/all.txt']);
    expect(bm25.total).toBe(1);

    // A provider is configured: hybrid is the default.
    const hybrid = await query(alice, 'alpha beta gamma');
    expect(hybrid.ranking).toBe('hybrid');
    expect(paths(hybrid)).toEqual(['/all.txt', '/two.txt']);
    expect(hybrid.total).toBe(2);
    // Fused scores: first in both lists, then second in the vector list only.
    expect(hybrid.items[0]!.score).toBeCloseTo(2 / (RRF_K + 1), 12);
    expect(hybrid.items[1]!.score).toBeCloseTo(1 / (RRF_K + 2), 12);
    // A vector-only hit has a snippet too (its matched words marked, HTML-escaped).
    expect(hybrid.items[1]!.snippet).toBe('<mark>alpha</mark> <mark>beta</mark> and nothing else');
    expect(hybrid.facets.extensions).toEqual([{ value: 'txt', count: 2 }]);
  });

  it('(b) a denied file is never a result and never counts in total or facets', async () => {
    const alice = principal();
    const bob = principal(alice.zoneId);
    await writeAll(alice, {
      '/open/all.md': 'alpha beta gamma',
      '/open/two.md': 'alpha beta',
      '/secret/all.txt': 'alpha beta gamma delta',
      '/secret/one.txt': 'gamma only here',
    });
    const all = await query(alice, 'alpha beta gamma');
    expect(paths(all).sort()).toEqual(['/open/all.md', '/open/two.md', '/secret/all.txt', '/secret/one.txt']);
    const tuples = ctx.app.get(RebacTuplesService);
    for (const hit of all.items.filter((h) => h.path.startsWith('/open/')))
      await tuples.write(alice.zoneId, {
        writes: [
          {
            object: { type: 'file', id: hit.id },
            relation: 'viewer',
            subject: { type: 'user', id: bob.subjectId },
          },
        ],
      });
    const seen = await query(bob, 'alpha beta gamma');
    expect(seen.ranking).toBe('hybrid');
    expect(paths(seen)).toEqual(['/open/all.md', '/open/two.md']);
    expect(seen.total).toBe(2);
    expect(seen.facets).toEqual({
      directories: [{ value: 'open', count: 2 }],
      extensions: [{ value: 'md', count: 2 }],
      tags: [],
    });
    // The denied files do not move the ranks either: the same fused scores as in a zone without them.
    expect(seen.items.map((h) => h.score)).toEqual([2 / (RRF_K + 1), 1 / (RRF_K + 2)]);
    expect((await query(bob, 'delta')).items).toEqual([]);
  });

  it('(c) a document holding an excluded word or phrase is no vector candidate', async () => {
    const alice = principal();
    await writeAll(alice, {
      '/keep.txt': 'alpha beta gamma',
      '/similar.txt': 'alpha beta',
      '/legacy.txt': 'alpha beta legacy code',
      '/phrase.txt': 'alpha beta old style',
      '/words.txt': 'alpha style beta old',
    });
    expect(paths(await query(alice, 'alpha beta gamma')).sort()).toEqual([
      '/keep.txt',
      '/legacy.txt',
      '/phrase.txt',
      '/similar.txt',
      '/words.txt',
    ]);
    const excluded = await query(alice, 'alpha beta gamma -legacy -"old style"');
    expect(excluded.ranking).toBe('hybrid');
    expect(paths(excluded)).toEqual(['/keep.txt', '/similar.txt', '/words.txt']);
    expect(excluded.total).toBe(3);
    // Field filters apply to the vector side too.
    expect(paths(await query(alice, 'alpha beta gamma path:/keep'))).toEqual(['/keep.txt']);
  });

  it('(d) embeddings follow writes, overwrites (content hash) and deletes; reindex fills in missing ones', async () => {
    const alice = principal();
    const tree = ctx.app.get(FsTree);
    await writeAll(alice, {
      '/d/a.txt': 'first version',
      '/d/sub/b.txt': 'below a directory',
      '/d/bin.dat': Buffer.from([1, 0, 2]),
    });
    let rows = await embeddingRows(ctx, alice.zoneId);
    expect(rows.map((r) => r.path)).toEqual(['/d/a.txt', '/d/sub/b.txt']); // binary: not embedded
    for (const row of rows) {
      expect(row.contentHash).toBe(row.fileHash);
      expect(row.model).toBe('hashing-v1');
      expect(row.bytes).toBe(256 * 4);
    }
    const before = rows[0]!.contentHash;

    await writeAll(alice, { '/d/a.txt': 'second version' });
    rows = await embeddingRows(ctx, alice.zoneId);
    expect(rows[0]!.contentHash).not.toBe(before);
    expect(rows[0]!.contentHash).toBe(rows[0]!.fileHash);

    // Text that becomes binary loses its embedding.
    await writeAll(alice, { '/d/a.txt': Buffer.from([0, 1]) });
    expect((await embeddingRows(ctx, alice.zoneId)).map((r) => r.path)).toEqual(['/d/sub/b.txt']);

    await tree.rmdir(alice, '/d/sub', { recursive: true });
    await embedded(ctx, alice.zoneId);
    expect(await embeddingRows(ctx, alice.zoneId)).toEqual([]);

    // Rows lost (or never made) are filled in by search.reindex.
    await writeAll(alice, { '/r/x.txt': 'reindex me', '/r/y.txt': 'me too' });
    await ctx.db.query(`DELETE FROM search_embeddings WHERE zone_id = $1`, [alice.zoneId]);
    const outcome = await ctx.app.get(SearchReindexHandler).handle(
      {},
      {
        jobId: randomUUID(),
        zoneId: alice.zoneId,
        createdBy: 'user:op',
        attempt: 1,
        maxAttempts: 3,
        signal: new AbortController().signal,
        progress: async () => undefined,
      },
    );
    expect(outcome).toMatchObject({ status: 'succeeded', result: { embedded: 2 } });
    expect((await embeddingRows(ctx, alice.zoneId)).map((r) => r.path)).toEqual(['/r/x.txt', '/r/y.txt']);
  });

  it('(f) ranking=hybrid without a provider is a 400 naming `ranking`; the default is then bm25', async () => {
    const alice = principal();
    await writeAll(alice, { '/f.txt': 'alpha beta' });
    const db = ctx.db;
    const access = ctx.app.get(FsAccess);
    const blobs = ctx.app.get(BLOB_STORE);
    const noProvider = new FullTextSearch(db, access, blobs, new HybridRanking(null, db, access, blobs));
    await expect(noProvider.query(alice, { q: 'alpha', ranking: 'hybrid' })).rejects.toMatchObject({
      details: { field: 'ranking' },
    });
    const bm25 = await noProvider.query(alice, { q: 'alpha' });
    expect(bm25.ranking).toBe('bm25');
    expect(paths(bm25)).toEqual(['/f.txt']);
    await expect(
      search.query(alice, { q: 'alpha', ranking: 'cosine' as FullTextRequest['ranking'] }),
    ).rejects.toMatchObject({ details: { field: 'ranking' } });
  });

  it('(g) pages over hybrid results never repeat or skip', async () => {
    const alice = principal();
    const files: Record<string, string> = {};
    for (let i = 0; i < 12; i++)
      files[`/p/${String(i).padStart(2, '0')}.txt`] = `alpha ${'beta '.repeat(i % 4)}`;
    for (let i = 0; i < 6; i++) files[`/q/${i}.txt`] = `beta ${'gamma '.repeat(i)}`;
    await writeAll(alice, files);
    const whole = await query(alice, 'alpha gamma');
    expect(whole.ranking).toBe('hybrid');
    expect(whole.total).toBeGreaterThan(12);
    const paged: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await query(alice, 'alpha gamma', { limit: 4, cursor });
      expect(page.total).toBe(whole.total);
      paged.push(...paths(page));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(paged).toEqual(paths(whole));
    expect(new Set(paged).size).toBe(whole.total);
  });
});

describe('hybrid ranking: a provider outage holds back search.embed only (PostgreSQL, Redis, local HTTP)', () => {
  const API_KEY = 'sk-test-never-shown';
  let healthy = false;
  let server: Server;
  let ctx: SearchTestContext;
  const hashing = new HashingEmbeddingProvider({ dimensions: 64 });

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        if (!healthy) {
          // Echoes the credentials, as some servers do: they must be redacted.
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(`overloaded (${req.headers['authorization'] ?? 'no key'})`);
          return;
        }
        const { input } = JSON.parse(body) as { input: string[] };
        void hashing.embed(input).then((vectors) => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ data: vectors.map((v, index) => ({ index, embedding: [...v] })) }));
        });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    ctx = await startSearchContext({
      env: {
        NEXUS_SEARCH_EMBEDDINGS: 'openai',
        NEXUS_SEARCH_EMBEDDINGS_URL: `http://127.0.0.1:${port}/v1/embeddings`,
        NEXUS_SEARCH_EMBEDDINGS_MODEL: 'fake-hashing',
        NEXUS_SEARCH_EMBEDDINGS_DIMENSIONS: '64',
        NEXUS_SEARCH_EMBEDDINGS_API_KEY: API_KEY,
      },
    });
  }, 60_000);

  afterAll(async () => {
    await ctx?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('(e) the index stays fresh while embeddings lag, and they catch up once the provider answers', async () => {
    const alice = principal();
    const search = ctx.app.get(FullTextSearch);
    // search.index is not held back.
    await ctx.writeIndexed(alice, { '/e/all.txt': 'alpha beta gamma', '/e/two.txt': 'alpha beta' });

    const bm25 = await search.query(alice, { q: 'alpha beta gamma', ranking: 'bm25' });
    expect(bm25.items.map((h) => h.path)).toEqual(['/e/all.txt']);
    // The default (hybrid) cannot embed the query either: it answers BM25 and says so.
    const fallback = await search.query(alice, { q: 'alpha beta gamma' });
    expect(fallback.ranking).toBe('bm25');
    expect(fallback.items.map((h) => h.path)).toEqual(['/e/all.txt']);

    // search.embed failed and waits out its backoff; the recorded error never holds the key.
    let failure: { failures: number; last_error: string } | undefined;
    for (let i = 0; i < 200 && !failure?.failures; i++) {
      [failure] = await ctx.db.query<Array<{ failures: number; last_error: string }>>(
        `SELECT failures, last_error FROM event_consumer_positions WHERE consumer = 'search.embed' AND zone_key = $1`,
        [alice.zoneId],
      );
      if (!failure?.failures) await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(failure!.failures).toBeGreaterThan(0);
    expect(failure!.last_error).toContain('HTTP 500');
    expect(failure!.last_error).not.toContain(API_KEY);
    expect(await embeddingRows(ctx, alice.zoneId)).toEqual([]);

    healthy = true;
    await embedded(ctx, alice.zoneId, 30_000);
    expect((await embeddingRows(ctx, alice.zoneId)).map((r) => [r.path, r.model, r.bytes])).toEqual([
      ['/e/all.txt', 'fake-hashing', 64 * 4],
      ['/e/two.txt', 'fake-hashing', 64 * 4],
    ]);
    const hybrid = await search.query(alice, { q: 'alpha beta gamma' });
    expect(hybrid.ranking).toBe('hybrid');
    expect(hybrid.items.map((h) => h.path)).toEqual(['/e/all.txt', '/e/two.txt']);
  }, 60_000);
});
