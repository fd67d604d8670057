import { randomUUID } from 'node:crypto';
import type { Principal } from '@nexus/core';
import { FsMetadataWriter } from '@nexus/filesystem';
import { RebacTuplesService } from '@nexus/rebac';
import { scoreDocument } from './fulltext/bm25';
import { countTerms } from './fulltext/tokenize';
import { contentTrigrams } from './grep/byte-trigrams';
import { COMPACT_AFTER_SEGMENTS, OPEN_SEGMENT_ENTRIES, compactPostings } from './index/postings-writer';
import { SearchCompactHandler } from './jobs/search-compact.handler';
import { FullTextSearch } from './service/fulltext-search.service';
import type { FullTextRequest } from './service/fulltext-search.service';
import { startSearchContext } from './testing';
import type { SearchTestContext } from './testing';

function principal(zoneId: string = randomUUID()): Principal {
  const subjectId = `u-${randomUUID().slice(0, 8)}`;
  return { subjectType: 'user', subjectId, zoneId, role: 'editor', superuser: false, keyId: null };
}

describe('full-text query: BM25 over postings that follow the files (PostgreSQL, Redis)', () => {
  let ctx: SearchTestContext;
  let search: FullTextSearch;

  beforeAll(async () => {
    ctx = await startSearchContext({ env: { NEXUS_SEARCH_MAX_BYTES: '4096' } });
    search = ctx.app.get(FullTextSearch);
  }, 60_000);

  afterAll(async () => ctx?.close());

  /** Writes the files and waits until the index has them. */
  const writeAll = (who: Principal, files: Record<string, string | Buffer>) => ctx.writeIndexed(who, files);

  const paths = async (who: Principal, q: string, extra: Partial<FullTextRequest> = {}) =>
    (await search.query(who, { q, limit: 100, ...extra })).items.map((hit) => hit.path);

  it('ranks by BM25 with per-zone document frequencies (scores equal the formula by hand)', async () => {
    const alice = principal();
    const files = {
      '/a.txt': 'apple banana apple cherry',
      '/b.txt': 'apple banana banana banana date elderberry fig grape',
      '/c.txt': 'cherry date',
      '/d.txt': 'banana',
    };
    await writeAll(alice, files);
    // Another zone's documents never count in this zone's statistics.
    await writeAll(principal(), { '/other.txt': 'apple apple apple banana' });

    const lengths = Object.fromEntries(Object.entries(files).map(([p, t]) => [p, countTerms(t).length]));
    const stats = {
      docCount: 4,
      avgDocLength: Object.values(lengths).reduce((a, b) => a + b, 0) / 4,
    };
    const expected = (path: keyof typeof files, terms: Array<{ tf: number; docFreq: number }>) =>
      scoreDocument(terms, lengths[path]!, stats);

    const result = await search.query(alice, { q: 'apple banana' });
    expect(result.items.map((hit) => hit.path)).toEqual(['/a.txt', '/b.txt']);
    expect(result.items[0]!.score).toBeCloseTo(
      expected('/a.txt', [
        { tf: 2, docFreq: 2 },
        { tf: 1, docFreq: 3 },
      ]),
      9,
    );
    expect(result.items[1]!.score).toBeCloseTo(
      expected('/b.txt', [
        { tf: 1, docFreq: 2 },
        { tf: 3, docFreq: 3 },
      ]),
      9,
    );
    // OR: the sum over the terms each file holds; "date" (2 of 4 files) weighs more than "banana" (3 of 4).
    const either = await search.query(alice, { q: 'date OR banana' });
    const byHand = {
      '/a.txt': expected('/a.txt', [{ tf: 1, docFreq: 3 }]),
      '/b.txt': expected('/b.txt', [
        { tf: 3, docFreq: 3 },
        { tf: 1, docFreq: 2 },
      ]),
      '/c.txt': expected('/c.txt', [{ tf: 1, docFreq: 2 }]),
      '/d.txt': expected('/d.txt', [{ tf: 1, docFreq: 3 }]),
    };
    expect(either.items.map((hit) => hit.path)).toEqual(
      Object.entries(byHand)
        .sort((x, y) => y[1] - x[1])
        .map(([path]) => path),
    );
    for (const hit of either.items) expect(hit.score).toBeCloseTo(byHand[hit.path as keyof typeof byHand], 9);
    expect(byHand['/c.txt']).toBeGreaterThan(byHand['/d.txt']);
    expect(result.total).toBe(2);
  });

  it('web-search syntax: phrases, OR, exclusion, field filters; filters-only queries', async () => {
    const alice = principal();
    await writeAll(alice, {
      '/docs/guide.md': 'How to load the config file before the server starts.',
      '/docs/notes.md': 'The file config is loaded later; load order matters.',
      '/src/server.ts': 'export function loadConfig(file: string) { return parse(file); }',
      '/src/legacy.ts': 'function load_config_legacy() {} // legacy loader',
      '/img/logo.png': Buffer.from([0x89, 0x50, 0, 1, 2]),
    });
    const metadata = ctx.app.get(FsMetadataWriter);
    await metadata.update(alice, '/docs/guide.md', { addTags: ['reviewed'], set: { status: 'final' } });
    const tagged = await metadata.update(alice, '/src/legacy.ts', { addTags: ['deprecated'] });
    await ctx.indexed(alice, BigInt(tagged.revision!));

    expect(await paths(alice, '"config file"')).toEqual(['/docs/guide.md']);
    expect((await paths(alice, 'config file')).sort()).toEqual([
      '/docs/guide.md',
      '/docs/notes.md',
      '/src/server.ts',
    ]);
    expect((await paths(alice, 'config -legacy')).sort()).toEqual([
      '/docs/guide.md',
      '/docs/notes.md',
      '/src/server.ts',
    ]);
    expect((await paths(alice, 'config -"config file"')).sort()).toEqual([
      '/docs/notes.md',
      '/src/legacy.ts',
      '/src/server.ts',
    ]);
    expect((await paths(alice, 'parse OR starts')).sort()).toEqual(['/docs/guide.md', '/src/server.ts']);
    expect((await paths(alice, 'config path:src')).sort()).toEqual(['/src/legacy.ts', '/src/server.ts']);
    expect(await paths(alice, 'config ext:md tag:reviewed')).toEqual(['/docs/guide.md']);
    expect(await paths(alice, 'config -tag:deprecated ext:ts')).toEqual(['/src/server.ts']);
    expect(await paths(alice, 'config', { metadata: { status: 'final' } })).toEqual(['/docs/guide.md']);
    expect(await paths(alice, 'config', { glob: 'docs/*.md', tags: ['reviewed'] })).toEqual([
      '/docs/guide.md',
    ]);
    // Filters alone list the files they select, binary ones included (they are indexed by name).
    expect(await paths(alice, 'ext:png')).toEqual(['/img/logo.png']);
    expect(await paths(alice, 'path:/docs -later')).toEqual(['/docs/guide.md']);
    // Exclusion is stemmed like every word: -loaded excludes "load" too.
    expect(await paths(alice, 'path:/docs -loaded')).toEqual([]);
    expect(await paths(alice, 'config', { mimeTypes: ['text/*'], path: '/docs' })).toHaveLength(2);
  });

  it('expands queries: stems, camelCase and snake_case identifiers, synonyms', async () => {
    const alice = principal();
    await writeAll(alice, {
      '/run.txt': 'the runner was running fast',
      '/camel.ts': 'const value = parseConfigFile(input);',
      '/snake.py': 'value = parse_config_file(input)',
      '/parts.txt': 'parse the config of this file',
      '/del.txt': 'remove the entry',
    });
    expect(await paths(alice, 'runs')).toEqual(['/run.txt']);
    // The identifier matches itself and the other spelling; its parts alone match too, ranked lower.
    const identifier = await paths(alice, 'parseConfigFile');
    expect(identifier.slice(0, 2).sort()).toEqual(['/camel.ts', '/snake.py']);
    expect(identifier).toContain('/parts.txt');
    expect((await paths(alice, 'parse_config_file')).slice(0, 2).sort()).toEqual(['/camel.ts', '/snake.py']);
    expect(await paths(alice, 'delete')).toEqual(['/del.txt']);
    const result = await search.query(alice, { q: 'parseConfigFile' });
    expect(result.terms).toEqual(expect.arrayContaining(['parseconfigfil', 'pars', 'config', 'file']));
  });

  it('follows overwrites and deletes: replaced content no longer matches; compaction drops its postings', async () => {
    const alice = principal();
    await writeAll(alice, { '/x.txt': 'alpha beta', '/y.txt': 'alpha gamma', '/z.txt': 'delta' });
    await writeAll(alice, { '/x.txt': 'omega beta', '/z.txt': 'omega' });
    expect(await paths(alice, 'alpha')).toEqual(['/y.txt']);
    expect((await paths(alice, 'omega')).sort()).toEqual(['/x.txt', '/z.txt']);
    expect(await paths(alice, 'delta')).toEqual([]);
    const before = await search.query(alice, { q: 'omega OR alpha OR beta' });

    const rows = await ctx.db.transaction((manager) => compactPostings(manager, alice.zoneId));
    expect(rows.after).toBeLessThan(rows.before);
    const after = await search.query(alice, { q: 'omega OR alpha OR beta' });
    expect(after.items.map((h) => h.path).sort()).toEqual(before.items.map((h) => h.path).sort());
    // Document frequencies count replaced content until compaction (as Lucene's count deleted documents
    // until a merge): "alpha" was in 2 entries, now 1, so /y.txt (which holds it) scores higher.
    const score = (result: typeof before, path: string) => result.items.find((h) => h.path === path)!.score;
    expect(score(after, '/y.txt')).toBeGreaterThan(score(before, '/y.txt'));
  });

  it('small batches append to the open segment of the zone instead of adding rows per batch', async () => {
    const alice = principal();
    for (let i = 0; i < 6; i++) await writeAll(alice, { [`/s/${i}.txt`]: `shared term${i}` });
    const [row] = await ctx.db.query<Array<{ segments: number; rows: number; buckets: number }>>(
      `SELECT count(DISTINCT segment_id)::int AS segments, count(*)::int AS rows, count(DISTINCT bucket)::int AS buckets
         FROM search_postings WHERE zone_id = $1`,
      [alice.zoneId],
    );
    expect(row).toEqual({ segments: 1, rows: row!.buckets, buckets: row!.buckets });
    expect((await paths(alice, 'shared')).sort()).toEqual(Array.from({ length: 6 }, (_, i) => `/s/${i}.txt`));
    expect(await paths(alice, 'term3')).toEqual(['/s/3.txt']);
  });

  it('counts segments and submits one search.compact past the limit; the job compacts and resets the count', async () => {
    const alice = principal();
    await writeAll(alice, { '/c/0.txt': 'compact me' });
    const openSegment = async () =>
      (
        await ctx.db.query<Array<{ segments: number; entries: number }>>(
          `SELECT segments, entries FROM search_open_segments WHERE zone_id = $1`,
          [alice.zoneId],
        )
      )[0];
    // Entries: the terms, then the byte trigrams.
    const entries = (text: string) => 2 + contentTrigrams(Buffer.from(text)).length;
    expect(await openSegment()).toEqual({ segments: 1, entries: entries('compact me') });
    // A full open segment: the next small batch starts another.
    await ctx.db.query(`UPDATE search_open_segments SET entries = $2 WHERE zone_id = $1`, [
      alice.zoneId,
      OPEN_SEGMENT_ENTRIES,
    ]);
    await writeAll(alice, { '/c/1.txt': 'compact you' });
    expect(await openSegment()).toEqual({ segments: 2, entries: entries('compact you') });
    const compactJobs = () =>
      ctx.db.query<Array<{ id: string }>>(
        `SELECT id FROM jobs WHERE zone_id = $1 AND type = 'search.compact'`,
        [alice.zoneId],
      );
    expect(await compactJobs()).toHaveLength(0);

    await ctx.db.query(`UPDATE search_open_segments SET entries = $3, segments = $2 WHERE zone_id = $1`, [
      alice.zoneId,
      COMPACT_AFTER_SEGMENTS - 1,
      OPEN_SEGMENT_ENTRIES,
    ]);
    await writeAll(alice, { '/c/2.txt': 'compact them' });
    await writeAll(alice, { '/c/3.txt': 'compact all' });
    const [job] = await compactJobs();
    expect(await compactJobs()).toHaveLength(1); // submitted once, not per batch

    const outcome = await ctx.app.get(SearchCompactHandler).handle(
      {},
      {
        jobId: job!.id,
        zoneId: alice.zoneId,
        createdBy: 'system:search.index',
        attempt: 1,
        maxAttempts: 3,
        signal: new AbortController().signal,
        progress: () => Promise.resolve(),
      },
    );
    expect(outcome).toMatchObject({ status: 'succeeded' });
    // Reset: nothing added since; the next compaction waits until as much as it left is added again.
    expect(await openSegment()).toEqual({ segments: 0, entries: OPEN_SEGMENT_ENTRIES });
    const [state] = await ctx.db.query<Array<{ added: string; compacted: string }>>(
      `SELECT added, compacted FROM search_open_segments WHERE zone_id = $1`,
      [alice.zoneId],
    );
    // compact me/you/them/all: each file's entries (the replaced content had none: all four are live).
    const live = ['compact me', 'compact you', 'compact them', 'compact all'].map(entries);
    expect(state).toEqual({ added: '0', compacted: String(live.reduce((a, b) => a + b)) });
    const [counted] = await ctx.db.query<Array<{ segments: number }>>(
      `SELECT count(DISTINCT segment_id)::int AS segments FROM search_postings WHERE zone_id = $1`,
      [alice.zoneId],
    );
    expect(counted?.segments).toBe(1);
    expect((await paths(alice, 'compact')).sort()).toEqual(['/c/0.txt', '/c/1.txt', '/c/2.txt', '/c/3.txt']);
  });

  it('only readable files: results, totals and facets; pages never repeat or skip', async () => {
    const alice = principal();
    const bob = principal(alice.zoneId);
    const files: Record<string, string> = {};
    for (const dir of ['a', 'b', 'c'])
      for (let i = 0; i < 5; i++)
        files[`/${dir}/f${i}.${i % 2 ? 'md' : 'txt'}`] = `shared ${'word '.repeat(i + 1)}`;
    files['/a/secret.txt'] = 'shared secret word';
    await writeAll(alice, files);
    const metadata = ctx.app.get(FsMetadataWriter);
    const tagged = await metadata.update(alice, '/a/f1.md', { addTags: ['hot'] });
    await ctx.indexed(alice, BigInt(tagged.revision!));

    const tuples = ctx.app.get(RebacTuplesService);
    const all = await search.query(alice, { q: 'shared', limit: 100 });
    const id = (path: string) => all.items.find((h) => h.path === path)!.id;
    for (const path of ['/a/f1.md', '/a/f2.txt', '/b/f0.txt', '/c/f3.md'])
      await tuples.write(alice.zoneId, {
        writes: [
          {
            object: { type: 'file', id: id(path) },
            relation: 'viewer',
            subject: { type: 'user', id: bob.subjectId },
          },
        ],
      });
    const seen = await search.query(bob, { q: 'shared' });
    expect(seen.items.map((h) => h.path).sort()).toEqual(['/a/f1.md', '/a/f2.txt', '/b/f0.txt', '/c/f3.md']);
    expect(seen.total).toBe(4);
    expect(seen.facets).toEqual({
      directories: [
        { value: 'a', count: 2 },
        { value: 'b', count: 1 },
        { value: 'c', count: 1 },
      ],
      extensions: [
        { value: 'md', count: 2 },
        { value: 'txt', count: 2 },
      ],
      tags: [{ value: 'hot', count: 1 }],
    });
    expect(await paths(bob, 'secret')).toEqual([]);

    // Pages of 4 over alice's 16 matches equal the single page.
    const paged: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await search.query(alice, { q: 'shared word', limit: 4, cursor });
      paged.push(...page.items.map((h) => h.path));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(paged).toEqual(
      (await search.query(alice, { q: 'shared word', limit: 100 })).items.map((h) => h.path),
    );
    expect(paged).toHaveLength(16);
  });

  it('snippets show the matched words, HTML-escaped; binary and large files have none', async () => {
    const alice = principal();
    await writeAll(alice, {
      '/page.html': '<script>alert(1)</script> the <b>configuration</b> of the parser',
      '/big.txt': `configuration ${'x '.repeat(3000)}`,
    });
    const result = await search.query(alice, { q: 'configuration parser', path: '/page.html' });
    expect(result.items[0]!.snippet).toBe(
      '&lt;script&gt;alert(1)&lt;/script&gt; the &lt;b&gt;<mark>configuration</mark>&lt;/b&gt; of the <mark>parser</mark>',
    );
    // Over NEXUS_SEARCH_MAX_BYTES: by name only, so its content does not match.
    expect(await paths(alice, 'configuration')).toEqual(['/page.html']);
  });

  it('bad input is a 400 naming the field', async () => {
    const alice = principal();
    const cases: Array<[Partial<FullTextRequest>, string]> = [
      [{ q: 'color:red' }, 'q'],
      [{ q: '-only' }, 'q'],
      [{ q: 'x', limit: 0 }, 'limit'],
      [{ q: 'x', limit: 101 }, 'limit'],
      [{ q: 'x', glob: '[' }, 'glob'],
      [{ q: 'x', metadata: { nested: { a: 1 } } }, 'metadata.nested'],
    ];
    for (const [request, field] of cases)
      await expect(search.query(alice, { q: 'x', ...request })).rejects.toMatchObject({
        status: 400,
        details: { field },
      });
    await expect(search.query(alice, { q: 'x', cursor: 'not-a-cursor' })).rejects.toMatchObject({
      status: 400,
    });
  });
});
